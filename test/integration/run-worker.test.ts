import { describe, expect, it } from 'vitest'
import { getRun } from '../../src/core/store/runs'
import { TrainingManager } from '../../src/core/train/training-manager'
import { spawnTrainingThread } from '../../src/core/train/worker-threads'
import type { ApiEventName } from '../../src/shared/api'
import { workspaceWithSeries } from '../helpers/datasets'

const TINY = { horizon: 2, lookback: 6, filters: 2, batch: 16, backend: 'cpu', patience: 0 } as const

function managerFor(path: string) {
  const events: Array<{ name: ApiEventName; payload: Record<string, unknown> }> = []
  const manager = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread, progressEvery: 2, onEvent: (name, payload) => events.push({ name, payload: payload as Record<string, unknown> }) })
  return { manager, events }
}

describe('TrainingManager with a worker thread', () => {
  it('runs a training in a worker and relays status, progress and epoch events', async () => {
    const { path, db, datasetId } = workspaceWithSeries(240)
    const { manager, events } = managerFor(path)
    try {
      const { runId } = await manager.start({ ...TINY, datasetId, epochs: 2 })
      const run = await manager.wait(runId)
      expect(run).toMatchObject({ status: 'completed', backend: 'cpu', epochs: 2 })
      const statuses = events.filter((e) => e.name === 'run:status').map((e) => e.payload.status)
      expect(statuses).toEqual(['queued', 'running', 'completed'])
      const progress = events.filter((e) => e.name === 'run:progress')
      expect(progress.length).toBeGreaterThan(2)
      expect((progress[0]!.payload.gradNorms as number[]).length).toBe(2)
      expect(events.filter((e) => e.name === 'run:epoch').map((e) => (e.payload.record as { epoch: number }).epoch)).toEqual([1, 2])
      expect(getRun(db, runId).checkpoints.map((c) => c.kind).sort()).toEqual(['best', 'last'])
    } finally {
      await manager.close()
    }
  })

  it('stops on request with consistent checkpoints, then resumes without duplicate epochs (reliability 10)', async () => {
    const { path, db, datasetId } = workspaceWithSeries(400)
    const { manager, events } = managerFor(path)
    try {
      const { runId } = await manager.start({ ...TINY, datasetId, epochs: 500 })
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (events.some((e) => e.name === 'run:epoch')) {
            clearInterval(timer)
            resolve()
          }
        }, 20)
      })
      await manager.stop(runId)
      const stopped = getRun(db, runId)
      expect(stopped.status).toBe('stopped')
      const done = stopped.epochRecords.length
      expect(done).toBeGreaterThan(0)
      expect(stopped.checkpoints.find((c) => c.kind === 'last')!.epoch).toBe(done)

      // a resume that cannot begin (both checkpoints damaged) leaves the run stopped and resumable
      const saved = db.prepare('SELECT kind, weights_blob FROM checkpoints WHERE run_id = ?').all(runId) as Array<{ kind: string; weights_blob: Buffer }>
      db.prepare('UPDATE checkpoints SET weights_blob = zeroblob(length(weights_blob)) WHERE run_id = ?').run(runId)
      await expect(manager.resume(runId)).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' })
      expect(getRun(db, runId)).toMatchObject({ status: 'stopped', error: { code: 'CHECKPOINT_CORRUPT' } })
      for (const row of saved) db.prepare('UPDATE checkpoints SET weights_blob = ? WHERE run_id = ? AND kind = ?').run(row.weights_blob, runId, row.kind)

      await manager.resume(runId, { epochs: done + 2 })
      const resumed = await manager.wait(runId)
      expect(resumed.status).toBe('completed')
      expect(getRun(db, runId).epochRecords.map((e) => e.epoch)).toEqual(Array.from({ length: done + 2 }, (_, i) => i + 1))
      await expect(manager.resume(runId)).rejects.toMatchObject({ code: 'RUN_NOT_RESUMABLE' })
    } finally {
      await manager.close()
    }
  })

  it('rejects configuration errors before training and leaves no run behind (reliability 21)', async () => {
    const { path, db, datasetId } = workspaceWithSeries(60)
    const { manager } = managerFor(path)
    try {
      await expect(manager.start({ ...TINY, datasetId: 999 })).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' })
      await expect(manager.start({ ...TINY, datasetId, lookback: 50, horizon: 20 })).rejects.toMatchObject({ code: 'DATASET_TOO_SHORT' })
      await expect(manager.start({ ...TINY, datasetId, targets: ['nope'] })).rejects.toMatchObject({ code: 'UNKNOWN_TARGET' })
      await expect(manager.start({ ...TINY, datasetId, lr: -1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' })
      expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 })
    } finally {
      await manager.close()
    }
  })
})
