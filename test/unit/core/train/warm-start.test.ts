import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { fitLinearBaseline, predictLinear } from '../../../../src/core/eval/linear-baseline'
import { createModel } from '../../../../src/core/model/convlstm'
import { toModelInput } from '../../../../src/core/model/layout'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { batchArrays, ScaledSeries } from '../../../../src/core/data/batches'
import type { TrainingData } from '../../../../src/core/data/training-data'
import { PLAN_ROWS, windowPlan } from '../../../helpers/window-plan'
import { linearStarts, meanStart } from '../../../../src/core/eval/linear-starts'
import { startMessage, warmStartHighway } from '../../../../src/core/train/warm-start'
import { toOriginalUnits } from '../../../../src/core/eval/units'
import { chooseStartOnRollingOrigin, startResiduals } from '../../../../src/core/eval/rolling-origin'
import { weightsOf } from '../../../helpers/weights'

const ROWS = PLAN_ROWS
const plan = windowPlan
const spec: ModelSpec = { layout: 'subseq', inputShape: [2, 1, 2, 1], layers: 1, filters: 2, kernel: 1, norm: 'none', init: 'glorot', horizon: 2, targets: 1, seed: 5, highway: true }

function modelForecast(model: ReturnType<typeof createModel>, data: TrainingData, series: ScaledSeries, starts: number[]): number[] {
  const arrays = batchArrays(series, data, starts, false)
  return tf.tidy(() => {
    const out = model.predict(toModelInput(arrays.inputs, arrays.batch, spec)).dataSync()
    return Array.from(toOriginalUnits(out, arrays.frame, data).values)
  })
}

describe('linearStarts', () => {
  it('writes the naive, seasonal-naive and drift forecasts as kernels over the window', () => {
    // lookback 3, horizon 2, one variable, season 2: kernels [3 steps, 2 horizon steps]
    const data = { lookback: 3, horizon: 2, targets: ['y'], targetColumns: [0], split: { train: new Int32Array(), val: new Int32Array(), test: new Int32Array() } } as unknown as TrainingData
    const starts = linearStarts(data, 1, 2, null)
    expect(starts.map((s) => s.name)).toEqual(['naive', 'seasonalNaive', 'drift'])
    expect(Array.from(starts[0]!.weights)).toEqual([0, 0, 0, 0, 1, 1])
    // step 1 repeats the window's step 1 (one season before), step 2 its last step
    expect(Array.from(starts[1]!.weights)).toEqual([0, 0, 1, 0, 0, 1])
    // last + (h + 1)·(last − first)/2
    expect(Array.from(starts[2]!.weights)).toEqual([-0.5, -1, 0, 0, 1.5, 2])
    // a season longer than the lookback has no seasonal-naive start
    expect(linearStarts(data, 1, 4, null).map((s) => s.name)).toEqual(['naive', 'drift'])
  })

  it('combines starts as the equal-weight mean of their weights and intercepts', () => {
    const data = { lookback: 3, horizon: 2, targets: ['y'], targetColumns: [0], split: { train: new Int32Array(), val: new Int32Array(), test: new Int32Array() } } as unknown as TrainingData
    const [naive, , drift] = linearStarts(data, 1, 2, null)
    const mean = meanStart([naive!, drift!])
    expect(mean.name).toBe('combination')
    expect(mean.members).toEqual(['naive', 'drift'])
    // (naive [0, 0, 0, 0, 1, 1] + drift [−0.5, −1, 0, 0, 1.5, 2]) / 2
    expect(Array.from(mean.weights)).toEqual([-0.25, -0.5, 0, 0, 1.25, 1.5])
    const ridge = { name: 'linear' as const, weights: Float64Array.from([3, 0, 0, 3, 0, 0]), intercept: Float64Array.from([0.3, -0.6]) }
    const combination = meanStart([naive!, drift!, ridge])
    expect(Array.from(combination.weights).map((w) => +w.toFixed(12))).toEqual([2.5 / 3, -1 / 3, 0, 1, 2.5 / 3, 1].map((w) => +w.toFixed(12)))
    expect(Array.from(combination.intercept).map((b) => +b.toFixed(12))).toEqual([0.1, -0.2])
  })
})

describe('warmStartHighway', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('starts a model with a highway at the linear baseline: the same forecasts, the ConvLSTM head at zero', async () => {
    // an oscillation the ridge extrapolates well from four lags
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => Math.sin(t / 2) + 0.05 * t))
    const model = createModel(spec)
    try {
      const result = (await warmStartHighway(model, data, series, null))!
      expect(result.from).toBe('linear')
      expect(Object.keys(result.errors)).toEqual(['naive', 'drift', 'linear'])
      expect(Array.from(weightsOf(model).get('head/kernel')!).every((w) => w === 0)).toBe(true)
      const starts = Array.from(data.split.test)
      const linear = Array.from(predictLinear(fitLinearBaseline(data, series)!, data, series, starts).values)
      modelForecast(model, data, series, starts).forEach((value, i) => expect(value).toBeCloseTo(linear[i]!, 4))
    } finally {
      model.dispose()
    }
  })

  it('starts at the naive forecast when that does best on the rolling origin', async () => {
    // a constant after an oscillation: naive is exact on every block the rolling origin scores
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => (t < 20 ? Math.sin(t) : 3)))
    const model = createModel(spec)
    try {
      expect((await warmStartHighway(model, data, series, null))!.from).toBe('naive')
      expect(modelForecast(model, data, series, [60, 70])).toEqual([3, 3, 3, 3])
    } finally {
      model.dispose()
    }
  })

  it('starts at the mean of naive and the ridge when the ridge wins by less than a standard error', async () => {
    // the oscillation stops at row 52: the ridge wins the early blocks and loses the late ones, too unevenly to beat the simpler naive forecast by a standard error
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => (t < 52 ? Math.sin(t / 2) : 3)))
    const model = createModel(spec)
    try {
      expect((await warmStartHighway(model, data, series, null))!.from).toBe('combination')
      const chosen = chooseStartOnRollingOrigin(data, series, null)!.chosen
      expect(chosen.members).toEqual(['naive', 'linear'])
      // on constant windows naive is exact, so the combination misses by half the ridge's miss
      const misses = startResiduals(chosen, data, series, Int32Array.from([60, 70]))
      modelForecast(model, data, series, [60, 70]).forEach((value, i) => expect(Math.abs(value - 3)).toBeCloseTo(misses[i]!, 5))
      expect(misses[0]).toBeGreaterThan(0.01)
    } finally {
      model.dispose()
    }
  })

  it('leaves a model without a highway alone', async () => {
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => t))
    const model = createModel({ ...spec, highway: false })
    try {
      const before = weightsOf(model)
      expect(await warmStartHighway(model, data, series, null)).toBeNull()
      expect(weightsOf(model)).toEqual(before)
    } finally {
      model.dispose()
    }
  })
})

describe('startMessage', () => {
  it('says what the highway starts at, how it was chosen and every candidate\'s error', () => {
    expect(startMessage({ from: 'drift', errors: { naive: 0.7076, drift: 0.34321, linear: 0.66 }, basis: 'on a rolling origin' })).toBe(
      'The linear highway starts at the drift forecast, chosen on a rolling origin (naive 0.708, drift 0.343, ridge 0.660); the ConvLSTM learns what it misses.',
    )
    expect(startMessage({ from: 'linear', errors: {}, basis: 'with no validation windows to choose on' })).toBe(
      'The linear highway starts at the ridge forecast, chosen with no validation windows to choose on; the ConvLSTM learns what it misses.',
    )
  })
})
