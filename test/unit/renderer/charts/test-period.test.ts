import { describe, expect, it } from 'vitest'
import type { TestPeriod } from '../../../../src/shared/api'
import { contextRows, testPeriodChartOption, testWindowView } from '../../../../src/renderer/src/charts/test-period'

// rows t0…t4; two windows of horizon 2 with origins t0 (at 0) and t2 (at 2)
const period: TestPeriod = {
  runId: 7,
  horizon: 2,
  targets: ['temp'],
  actual: { time: ['t0', 't1', 't2', 't3', 't4'], values: { temp: [1, 2, 3, null, 5] } },
  windows: [
    { at: 0, predicted: { temp: [1.5, 2.5] } },
    { at: 2, predicted: { temp: [4, 4.5] } },
  ],
  totalWindows: 2,
  intervals: { levels: [80, 95], calibrationWindows: 10, halfWidth: { '80': [0.5, 1], '95': [1, 2] } },
}

describe('testWindowView', () => {
  it('takes the window\'s steps after its origin, its actuals, its bounds and its MAE', () => {
    expect(testWindowView(period, 0)).toEqual({
      index: 0,
      at: 0,
      origin: 't0',
      time: ['t1', 't2'],
      actual: { temp: [2, 3] },
      mae: { temp: 0.5 },
      forecast: {
        runId: 7,
        origin: 't0',
        horizon: 2,
        time: ['t1', 't2'],
        values: { temp: [1.5, 2.5] },
        intervals: { '80': { lower: { temp: [1, 1.5] }, upper: { temp: [2, 3.5] } }, '95': { lower: { temp: [0.5, 0.5] }, upper: { temp: [2.5, 4.5] } } },
      },
    })
  })

  it('draws a window\'s own half-widths, calibrated at its origin, over the run\'s', () => {
    const own = { ...period, windows: [period.windows[0]!, { ...period.windows[1]!, halfWidth: { '80': [2, 3], '95': [4, 5] } }] }
    expect(testWindowView(own, 1)!.forecast.intervals).toEqual({
      '80': { lower: { temp: [2, 1.5] }, upper: { temp: [6, 7.5] } },
      '95': { lower: { temp: [0, -0.5] }, upper: { temp: [8, 9.5] } },
    })
    // a window without its own keeps the run's
    expect(testWindowView(own, 0)!.forecast.intervals!['80']).toEqual({ lower: { temp: [1, 1.5] }, upper: { temp: [2, 3.5] } })
  })

  it('leaves a missing actual out of the MAE and clamps the index', () => {
    const view = testWindowView(period, 9)!
    expect([view.index, view.at, view.origin]).toEqual([1, 2, 't2'])
    expect(testWindowView(period, -3)!.index).toBe(0)
    expect(view.actual).toEqual({ temp: [null, 5] })
    expect(view.mae).toEqual({ temp: 0.5 })
    expect(testWindowView({ ...period, windows: [] }, 0)).toBeNull()
  })
})

describe('testPeriodChartOption', () => {
  it('draws the actuals, the window\'s bands and prediction, and marks its origin', () => {
    const option = testPeriodChartOption(period, testWindowView(period, 1))
    const series = option.series as Array<{ name: string; data: unknown[]; markLine?: { data: unknown[] } }>
    expect(series.map((s) => s.name)).toEqual(['temp (actual)', 'temp (95% lower)', 'temp (95% interval)', 'temp (80% lower)', 'temp (80% interval)', 'temp (predicted)'])
    expect(series[0]!.data).toEqual([['t0', 1], ['t1', 2], ['t2', 3], ['t3', null], ['t4', 5]])
    expect(series[0]!.markLine!.data).toEqual([{ xAxis: 't2' }])
    // 95%: lower 4 − 1, 4.5 − 2; band width 2, 4
    expect(series[1]!.data).toEqual([['t3', 3], ['t4', 2.5]])
    expect(series[2]!.data).toEqual([['t3', 2], ['t4', 4]])
    expect(series[5]!.data).toEqual([['t3', 4], ['t4', 4.5]])
  })

  it('draws the observed rows four horizons either side of the window', () => {
    // 40 rows, horizon 2: the window at 20 shows rows 12 (20 − 8) to 30 (20 + 2 + 8), the first from row 0
    const long: TestPeriod = {
      ...period,
      actual: { time: Array.from({ length: 40 }, (_, i) => `t${i}`), values: { temp: Array.from({ length: 40 }, (_, i) => i) } },
      windows: [{ at: 3, predicted: { temp: [0, 0] } }, { at: 20, predicted: { temp: [0, 0] } }, { at: 37, predicted: { temp: [0, 0] } }],
    }
    expect(contextRows(long, testWindowView(long, 1))).toEqual({ from: 12, to: 31 })
    expect(contextRows(long, testWindowView(long, 0))).toEqual({ from: 0, to: 14 })
    expect(contextRows(long, testWindowView(long, 2))).toEqual({ from: 29, to: 40 })
    expect(contextRows(long, null)).toEqual({ from: 0, to: 40 })
    const actual = (testPeriodChartOption(long, testWindowView(long, 1)).series as Array<{ data: unknown[] }>)[0]!.data
    expect(actual[0]).toEqual(['t12', 12])
    expect(actual.at(-1)).toEqual(['t30', 30])
  })

  it('draws only the actuals without intervals or windows', () => {
    const { intervals: _, ...bare } = period
    expect((testPeriodChartOption(bare, testWindowView(bare, 0)).series as Array<{ name: string }>).map((s) => s.name)).toEqual(['temp (actual)', 'temp (predicted)'])
    expect((testPeriodChartOption({ ...bare, windows: [] }, null).series as Array<{ name: string }>).map((s) => s.name)).toEqual(['temp (actual)'])
  })

  it('draws the window view it is given, which the panel has built for its text, and builds none of its own', () => {
    const view = testWindowView(period, 1)!
    const given = { ...view, origin: 'given', forecast: { ...view.forecast, values: { temp: [7, 8] } } }
    const series = testPeriodChartOption(period, given).series as Array<{ name: string; data: unknown[]; markLine?: { data: unknown[] } }>
    expect(series[0]!.markLine!.data).toEqual([{ xAxis: 'given' }])
    expect(series.at(-1)!.data).toEqual([['t3', 7], ['t4', 8]])
  })

  it('draws the observed rows around the view\'s own window: the view alone says which', () => {
    const long: TestPeriod = {
      ...period,
      actual: { time: Array.from({ length: 40 }, (_, i) => `t${i}`), values: { temp: Array.from({ length: 40 }, (_, i) => i) } },
      windows: [{ at: 3, predicted: { temp: [0, 0] } }, { at: 37, predicted: { temp: [0, 0] } }],
    }
    // the last window (at 37): rows 29 to 39, the first window's context (rows 0 to 13) nowhere
    const actual = (testPeriodChartOption(long, testWindowView(long, 5)).series as Array<{ data: unknown[] }>)[0]!.data
    expect([actual[0], actual.at(-1)]).toEqual([['t29', 29], ['t39', 39]])
  })
})
