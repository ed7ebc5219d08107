import { describe, expect, it } from 'vitest'
import { driftForecast, naiveForecast, seasonalNaiveForecast, seasonForFrequency } from '../../../../src/core/eval/baselines'
import { computeMetrics } from '../../../../src/core/eval/metrics'

describe('seasonForFrequency', () => {
  it('maps the usual frequencies to their cycles', () => {
    expect(seasonForFrequency('hourly')).toBe(24)
    expect(seasonForFrequency('daily')).toBe(7)
    expect(seasonForFrequency('weekly')).toBe(52)
    expect(seasonForFrequency('monthly')).toBe(12)
    expect(seasonForFrequency('quarterly')).toBe(4)
    expect(seasonForFrequency('every 900000ms')).toBe(96)
  })

  it('has no season for yearly, irregular or steps that do not divide a day', () => {
    expect(seasonForFrequency('yearly')).toBeNull()
    expect(seasonForFrequency('irregular')).toBeNull()
    expect(seasonForFrequency('every 7000000ms')).toBeNull()
  })
})

describe('naiveForecast', () => {
  it('repeats the value at the origin for every step and target', () => {
    const a = Float64Array.from([1, 2, 3, 4, 5])
    const b = Float64Array.from([10, 20, 30, 40, 50])
    const f = naiveForecast([a, b], [1, 3], 2)
    expect(Array.from(f.values)).toEqual([2, 20, 2, 20, 4, 40, 4, 40])
    expect([f.windows, f.horizon, f.targets]).toEqual([2, 2, 2])
  })

  it('uses the last observed value when the origin is missing', () => {
    const f = naiveForecast([Float64Array.from([1, 2, NaN, NaN])], [3], 1)
    expect(Array.from(f.values)).toEqual([2])
    expect(Number.isNaN(naiveForecast([Float64Array.from([NaN])], [0], 1).values[0])).toBe(true)
  })

  it('scores zero error on a constant series and the slope on a straight line', () => {
    const line = Float64Array.from({ length: 20 }, (_, t) => 2 * t)
    const origins = [9, 12, 15]
    const actual = { values: Float64Array.from(origins.flatMap((o) => [line[o + 1]!, line[o + 2]!, line[o + 3]!])), windows: 3, horizon: 3, targets: 1 }
    const m = computeMetrics(actual, naiveForecast([line], origins, 3), ['y'], [2])
    // errors 2, 4, 6 at steps 1, 2, 3
    expect(m.mae).toBe(4)
    expect(m.perHorizon.map((p) => p.mae)).toEqual([2, 4, 6])
    // the naive one-step MAE equals the scale: MASE of the 1…3-step naive is 4/2
    expect(m.mase).toBe(2)
  })
})

describe('seasonalNaiveForecast', () => {
  it('forecasts a purely periodic series exactly', () => {
    const period = 4
    const pattern = [5, 1, -2, 7]
    const series = Float64Array.from({ length: 40 }, (_, t) => pattern[t % period]!)
    const origins = [11, 17, 26]
    const horizon = 9
    const forecast = seasonalNaiveForecast([series], origins, horizon, period)
    const actual = Float64Array.from(origins.flatMap((o) => Array.from({ length: horizon }, (_, s) => series[o + s + 1]!)))
    expect(Array.from(forecast.values)).toEqual(Array.from(actual))
    // while the plain naive forecast misses
    expect(computeMetrics({ values: actual, windows: 3, horizon, targets: 1 }, naiveForecast([series], origins, horizon), ['y'], [null]).mae).toBeGreaterThan(0)
  })

  it('takes step h from one season before, repeating the last season beyond the period', () => {
    const series = Float64Array.from([0, 1, 2, 3, 4, 5, 6])
    // origin 6, period 3: steps 1..5 come from rows 4, 5, 6, 4, 5
    expect(Array.from(seasonalNaiveForecast([series], [6], 5, 3).values)).toEqual([4, 5, 6, 4, 5])
  })

  it('equals the naive forecast when the period is 1', () => {
    const series = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6])
    expect(Array.from(seasonalNaiveForecast([series], [4, 6], 3, 1).values)).toEqual(Array.from(naiveForecast([series], [4, 6], 3).values))
  })

  it('falls back whole seasons when the value one season back is missing, and never looks past the origin', () => {
    const series = Float64Array.from([10, 11, 12, NaN, 14, 15, 99])
    // origin 5, period 3: step 1 → row 3 (missing) → row 0
    const f = seasonalNaiveForecast([series], [5], 3, 3)
    expect(Array.from(f.values)).toEqual([10, 14, 15])
  })
})

describe('driftForecast', () => {
  it('extends the last value by the mean step of the lookback window', () => {
    // window of origin 4 with lookback 3: rows 2..4 = 5, 4, 9 → mean step (9 − 5) / 2 = 2
    const y = Float64Array.from([0, 1, 5, 4, 9, 100])
    expect(Array.from(driftForecast([y], [4], 3, 3).values)).toEqual([11, 13, 15])
  })

  it('measures the step between the observed ends and is naive with one observed value', () => {
    const y = Float64Array.from([2, NaN, 6, NaN])
    // origin 3 (missing): last observed row 2, first row 0 → step 2, three rows after row 2 … origin + 1 is two rows on
    expect(Array.from(driftForecast([y], [3], 2, 4).values)).toEqual([10, 12])
    expect(Array.from(driftForecast([Float64Array.from([NaN, 7])], [1], 2, 2).values)).toEqual([7, 7])
  })
})
