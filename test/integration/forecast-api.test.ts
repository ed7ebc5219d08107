import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApiHandlers, type HandlerContext } from '../../src/core/api-handlers'
import { getRunSummary } from '../../src/core/store/runs'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

describe('the forecast through the Api (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('returns the forecast with its prediction intervals, when computed and when read back from the store, and the warnings it stored when computed', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01 })
    const api = createApiHandlers({ db, emit: () => {} } as unknown as HandlerContext)
    const halfWidth = getRunSummary(db, runId).metrics!.intervals!.halfWidth
    const computed = await api.forecast(runId)
    const stored = await api.forecast(runId)
    // the warnings a forecast stores on its run come with the call that made it; the run holds them after
    const { warnings, ...made } = computed
    expect(warnings).toEqual([])
    expect(stored).toEqual(made)
    expect(Object.keys(computed)).not.toContain('id')
    expect(Object.keys(computed.intervals!)).toEqual(['80', '95'])
    // the forecast ± the stored half-width of each step (one target: [horizon, 1])
    computed.values.v0!.forEach((value, s) => {
      expect(computed.intervals!['80']!.lower.v0![s]).toBeCloseTo(value - halfWidth['80']![s]!, 6)
      expect(computed.intervals!['95']!.upper.v0![s]).toBeCloseTo(value + halfWidth['95']![s]!, 6)
    })
  })
})
