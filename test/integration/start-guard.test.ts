import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { readCheckpoint } from '../../src/core/store/checkpoints'
import { readTestHalfWidths } from '../../src/core/store/test-half-widths'
import type { Db } from '../../src/core/store/workspace'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

/** Counts the checkpoint reads (readCheckpoint's query) the workspace is asked for; the calls go through. */
function countCheckpointReads(db: Db): () => number {
  const prepare = vi.spyOn(db, 'prepare')
  return () => prepare.mock.calls.filter(([sql]) => String(sql).includes('FROM checkpoints WHERE run_id = ? AND kind = ?')).length
}

describe('the warm start guard (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('keeps the warm start as the best checkpoint when the validation windows hold too little evidence against it', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    // horizon 4 and 5 validation windows: fewer than two horizons, so no trained epoch can be shown better
    const { detail, warnings } = await trainInProcess(db, { datasetId, horizon: 4, epochs: 6, lr: 0.01, valFraction: 0.02, testFraction: 0.1 })
    expect(detail.status).toBe('completed')
    expect(detail.bestEpoch).toBe(0)
    expect(readCheckpoint(db, detail.id, 'best').epoch).toBe(0)
    expect(readCheckpoint(db, detail.id, 'last').epoch).toBe(6)
    expect(warnings.map((w) => w.code)).toContain('START_KEPT')
  })

  it('reads the best checkpoint once at the end of a run, whether the guard wrote it (the start kept) or the guard did not look (no highway)', async () => {
    const kept = { horizon: 4, epochs: 6, valFraction: 0.02, testFraction: 0.1, bestEpoch: 0 }
    const unguarded = { horizon: 3, epochs: 2, seed: 3, highway: 'off' as const, bestEpoch: 2 }
    for (const { bestEpoch, ...input } of [kept, unguarded]) {
      const { db, datasetId } = workspaceWithSeries(240, 1)
      const reads = countCheckpointReads(db)
      const { detail } = await trainInProcess(db, { datasetId, lr: 0.01, ...input })
      expect(reads()).toBe(1)
      expect(detail.bestEpoch).toBe(bestEpoch)
      // the checkpoint the evaluation scored is the stored best one (epoch and SHA-256): its half-widths are served
      expect(readTestHalfWidths(db, detail.id, readCheckpoint(db, detail.id, 'best'))).toBeDefined()
    }
  })
})
