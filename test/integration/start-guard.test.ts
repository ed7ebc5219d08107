import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { readCheckpoint } from '../../src/core/store/checkpoints'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

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
})
