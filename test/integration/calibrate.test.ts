import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { historyResiduals } from '../../src/core/eval/calibrate'
import { conformalQuantile } from '../../src/core/eval/conformal'
import { predictWindows, testSeries } from '../../src/core/eval/evaluate'
import { loadRunModel } from '../../src/core/eval/inference'
import { actualBlock } from '../../src/core/eval/score'
import { getRunSummary } from '../../src/core/store/runs'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

describe('interval calibration (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('pools the validation residuals with the warm start\'s out-of-sample history', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 2, epochs: 2, lr: 0.01 })
    const intervals = getRunSummary(db, runId).metrics!.intervals!
    const loaded = loadRunModel(db, runId, 'best')
    try {
      const { data, model, series } = loaded
      const history = historyResiduals(model, data, series, null)!
      expect(history.starts.length).toBeGreaterThan(0)
      expect(history.starts.every((start) => start < data.split.val[0]!)).toBe(true)
      expect(intervals.calibrationWindows).toBe(data.split.val.length + history.starts.length)
      // step 1's 80% half-width is the conformal quantile of both samples together
      const val = Array.from(data.split.val)
      const predicted = await predictWindows(model, data, series, val)
      const actual = actualBlock(testSeries(db, data).series, val.map((s) => s + data.lookback - 1), data.horizon)
      const step1 = [...val.map((_, w) => Math.abs(actual.values[w * 2]! - predicted.values[w * 2]!)), ...Array.from(history.starts, (_, w) => history.residuals[w * 2]!)]
      expect(intervals.halfWidth['80']![0]).toBeCloseTo(conformalQuantile(step1, 80), 6)
    } finally {
      loaded.model.dispose()
    }
  })
})
