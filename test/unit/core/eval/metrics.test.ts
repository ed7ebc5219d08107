import { describe, expect, it } from 'vitest'
import { accumulate, computeMetrics, createMetricSums, finishMetrics, mae, mase, naiveScale, rmse, smape, type ForecastBlock } from '../../../../src/core/eval/metrics'

const block = (values: number[], windows: number, horizon: number, targets: number): ForecastBlock => ({ values: Float64Array.from(values), windows, horizon, targets })

describe('point metrics', () => {
  it('computes MAE, RMSE and sMAPE by hand on four pairs', () => {
    const actual = [1, 2, 3, 4]
    const forecast = [2, 2, 1, 4]
    expect(mae(actual, forecast)).toBe(0.75)
    expect(rmse(actual, forecast)).toBeCloseTo(Math.sqrt(1.25), 15)
    // terms 200·1/3, 0, 200·2/4, 0
    expect(smape(actual, forecast)).toBeCloseTo((200 / 3 + 100) / 4, 12)
  })

  it('counts 0 against 0 as a perfect sMAPE term and 0 against anything else as 200', () => {
    expect(smape([0, 0], [0, 1])).toBe(100)
    expect(smape([0], [0])).toBe(0)
    expect(smape([0], [-3])).toBe(200)
    expect(smape([-2], [2])).toBe(200)
  })

  it('leaves pairs with a missing actual or forecast out of every mean', () => {
    expect(mae([1, NaN, 3], [2, 100, 3])).toBe(0.5)
    expect(rmse([1, 2, 3], [2, Infinity, 3])).toBeCloseTo(Math.sqrt(0.5), 15)
    expect(mae([NaN], [1])).toBeNaN()
  })

  it('refuses arrays of different lengths', () => {
    expect(() => mae([1, 2], [1])).toThrow(RangeError)
  })
})

describe('MASE', () => {
  it('scales by the in-sample one-step naive MAE of the training series', () => {
    // |3-1|, |2-3|, |2-2| → 3/3
    expect(naiveScale([1, 3, 2, 2])).toBe(1)
    expect(naiveScale([0, 2, 6])).toBe(3)
    expect(mase(0.75, naiveScale([0, 2, 6]))).toBe(0.25)
  })

  it('is undefined (null) for a constant or too short training series, never Infinity', () => {
    expect(naiveScale([5, 5, 5, 5])).toBeNull()
    expect(naiveScale([0, 0])).toBeNull()
    expect(naiveScale([7])).toBeNull()
    expect(naiveScale([])).toBeNull()
    expect(mase(1, null)).toBeNull()
    expect(mase(0, null)).toBeNull()
  })

  it('skips naive steps that touch a missing value', () => {
    expect(naiveScale([1, NaN, 3, 4])).toBe(1)
    expect(naiveScale([1, NaN, 3])).toBeNull()
  })

  it('is 0 for a perfect forecast of a varying series', () => {
    expect(mase(0, 2)).toBe(0)
  })
})

describe('computeMetrics', () => {
  // two windows, horizon 2, targets a and b
  const actual = block([1, 10, 2, 20, 3, 30, 4, 40], 2, 2, 2)
  const forecast = block([1, 12, 3, 20, 5, 30, 4, 36], 2, 2, 2)

  it('computes overall, per-horizon and per-target values by hand', () => {
    const m = computeMetrics(actual, forecast, ['a', 'b'], [0.5, 3])
    // absolute errors: a 0,1,2,0  b 2,0,0,4
    expect(m.mae).toBe(9 / 8)
    expect(m.rmse).toBeCloseTo(Math.sqrt(25 / 8), 14)
    expect(m.smape).toBeCloseTo((40 + 50 + 400 / 22 + 800 / 76) / 8, 12)
    expect(m.perHorizon).toEqual([
      { step: 1, mae: 1, rmse: Math.sqrt(2) },
      { step: 2, mae: 1.25, rmse: Math.sqrt(17 / 4) },
    ])
    expect(m.perTarget.a!.mae).toBe(0.75)
    expect(m.perTarget.a!.rmse).toBeCloseTo(Math.sqrt(5 / 4), 14)
    expect(m.perTarget.b!.mae).toBe(1.5)
    expect(m.perTarget.b!.rmse).toBeCloseTo(Math.sqrt(5), 14)
    expect(m.perTarget.a!.mase).toBe(1.5)
    expect(m.perTarget.b!.mase).toBe(0.5)
    expect(m.mase).toBe(1)
  })

  it('averages MASE over the targets that have one and reports null when none does', () => {
    expect(computeMetrics(actual, forecast, ['a', 'b'], [0.5, null]).mase).toBe(1.5)
    const none = computeMetrics(actual, forecast, ['a', 'b'], [null, null])
    expect(none.mase).toBeNull()
    expect(none.perTarget.a!.mase).toBeNull()
    expect(JSON.parse(JSON.stringify(none)).mase).toBeNull()
  })

  it('refuses blocks of different shapes', () => {
    expect(() => computeMetrics(actual, block([1, 2, 3, 4], 1, 2, 2), ['a', 'b'], [1, 1])).toThrow(RangeError)
    expect(() => computeMetrics(actual, forecast, ['a'], [1, 1])).toThrow(RangeError)
  })
})

describe('MetricSums (streamed scoring)', () => {
  // three windows, horizon 2, targets a and b; row-major [window, step, target]
  // a missing actual (w0 s1 b), a missing forecast (w1 s0 b), a pair missing on both sides
  // (w2 s1 a), and two 0-against-0 pairs (w0 s0 b, w2 s0 b: perfect sMAPE terms)
  const actual = block([1, 0, 2, NaN, 3, 4, 0, 2, 5, 0, NaN, 1], 3, 2, 2)
  const forecast = block([2, 0, 2, 5, 1, NaN, 1, 2, 5, 0, NaN, 3], 3, 2, 2)
  const windows = (b: ForecastBlock, from: number, to: number): ForecastBlock => ({ ...b, values: b.values.subarray(from * 4, to * 4), windows: to - from })

  it('gives the hand-computed values in one block', () => {
    const m = computeMetrics(actual, forecast, ['a', 'b'], [2, 1])
    // finite pairs: a (1,2) (2,2) (3,1) (0,1) (5,5); b (0,0) (2,2) (0,0) (1,3)
    expect(m.mae).toBe(6 / 9)
    expect(m.rmse).toBeCloseTo(Math.sqrt(10 / 9), 14)
    expect(m.smape).toBeCloseTo((200 / 3 + 100 + 200 + 100) / 9, 12)
    expect(m.perTarget.a).toEqual({ mae: 0.8, rmse: Math.sqrt(6 / 5), smape: (200 / 3 + 100 + 200) / 5, mase: 0.4 })
    expect(m.perTarget.b).toEqual({ mae: 0.5, rmse: 1, smape: 25, mase: 0.5 })
    expect(m.perHorizon).toEqual([
      { step: 1, mae: 0.6, rmse: 1 },
      { step: 2, mae: 0.75, rmse: Math.sqrt(5 / 4) },
    ])
    expect(m.mase).toBe(0.45)
  })

  it('gives the same numbers, bit for bit, when the windows arrive in batches', () => {
    const oneShot = computeMetrics(actual, forecast, ['a', 'b'], [2, null])
    for (const cuts of [[0, 1, 3], [0, 2, 3], [0, 1, 2, 3], [0, 0, 3]]) {
      const sums = createMetricSums(2, 2)
      for (let i = 1; i < cuts.length; i++) accumulate(sums, windows(actual, cuts[i - 1]!, cuts[i]!), windows(forecast, cuts[i - 1]!, cuts[i]!))
      expect(finishMetrics(sums, ['a', 'b'], [2, null])).toStrictEqual(oneShot)
    }
    // and the same as the one-shot point metrics over the whole block
    expect(oneShot.mae).toBe(mae(actual.values, forecast.values))
    expect(oneShot.rmse).toBe(rmse(actual.values, forecast.values))
    expect(oneShot.smape).toBe(smape(actual.values, forecast.values))
  })

  it('reports NaN metrics for groups without a finite pair, and refuses a block of another shape', () => {
    const sums = createMetricSums(2, 2)
    accumulate(sums, windows(actual, 2, 3), block([NaN, NaN, NaN, NaN], 1, 2, 2))
    const m = finishMetrics(sums, ['a', 'b'], [1, 1])
    expect(m.mae).toBeNaN()
    expect(m.perHorizon[0]!.rmse).toBeNaN()
    expect(m.perTarget.b!.smape).toBeNaN()
    expect(m.mase).toBeNull()
    expect(() => accumulate(sums, block([1, 2], 1, 2, 1), block([1, 2], 1, 2, 1))).toThrow(RangeError)
  })
})
