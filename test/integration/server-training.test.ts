import { describe, expect, it } from 'vitest'
import { getRun } from '../../src/core/store/runs'
import { TrainingManager } from '../../src/core/train/training-manager'
import { spawnTrainingThread } from '../../src/core/train/worker-threads'
import type { ApiEventName } from '../../src/shared/api'
import { insertDataset, sineSeries, workspaceWithSeries } from '../helpers/datasets'

describe('the browser host training service', () => {
  it('relays each warning a run stores as a run:warning event (reliability 12)', async () => {
    const { path, db } = workspaceWithSeries(10)
    const series = sineSeries(160, 1)
    const datasetId = insertDataset(db, { ...series, columns: { ...series.columns, flat: new Array(160).fill(3) } })
    const events: Array<{ name: ApiEventName; payload: unknown }> = []
    const service = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread, onEvent: (name, payload) => events.push({ name, payload }) })
    try {
      const { runId } = await service.start({ datasetId, targets: ['v0'], horizon: 2, lookback: 6, filters: 2, batch: 64, epochs: 1, backend: 'cpu', patience: 0 })
      const final = () => events.map((e) => e.payload as { runId?: number; status?: string }).find((p) => p.runId === runId && ['completed', 'stopped', 'diverged', 'failed'].includes(p.status ?? ''))
      while (!final()) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(final()!.status).toBe('completed')
      const relayed = events.filter((e) => e.name === 'run:warning').map((e) => e.payload as { runId: number; warning: { code: string } })
      expect(relayed.map((e) => [e.runId, e.warning.code])).toContainEqual([runId, 'COLUMN_CONSTANT'])
      expect(getRun(db, runId).warnings.map((w) => w.code)).toContain('COLUMN_CONSTANT')
    } finally {
      await service.close()
    }
  })
})
