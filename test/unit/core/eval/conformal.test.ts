import { describe, expect, it } from 'vitest'
import { addCoverage, conformalQuantile, createCoverage, finishCoverage, intervalBounds } from '../../../../src/core/eval/conformal'
import { addWindow, createOnlineConformal, halfWidthsAt } from '../../../../src/core/eval/online-conformal'
import { forecastIntervals } from '../../../../src/core/eval/forecast'
import type { ForecastBlock } from '../../../../src/core/eval/metrics'

const block = (values: number[], windows: number, horizon: number, targets: number): ForecastBlock => ({ values: Float64Array.from(values), windows, horizon, targets })

describe('conformalQuantile', () => {
  it('takes the ⌈(n + 1)·α⌉-th smallest absolute residual', () => {
    const residuals = [5, 1, 4, 2, 3, 9, 8, 7, 6] // n = 9
    expect(conformalQuantile(residuals, 80)).toBe(8) // ⌈10 · 0.8⌉ = 8
    expect(conformalQuantile(residuals, 50)).toBe(5) // ⌈5⌉ = 5
    expect(conformalQuantile(residuals, 10)).toBe(1)
  })

  it('takes the largest when the rank passes n, leaves NaN out and is NaN with nothing', () => {
    expect(conformalQuantile([1, 2, 3], 95)).toBe(3) // ⌈4 · 0.95⌉ = 4 > 3
    expect(conformalQuantile([NaN, 2, 1, NaN], 50)).toBe(2) // n = 2: ⌈1.5⌉ = 2
    expect(conformalQuantile([NaN], 80)).toBeNaN()
  })
})

describe('coverage', () => {
  it('counts the test pairs inside each level\'s interval, each pair against its own half-width', () => {
    const sums = createCoverage([50, 80])
    // half-widths step 1: 3 (50), 4 (80); step 2: 30, 40; the second window's step 2 is wider at 80 (60)
    const halfWidth = { '50': [3, 30, 3, 30], '80': [4, 40, 4, 60] }
    // errors step 1: 2 (in both), 3.5 (80 only); step 2: 35 (80 only), 50 (80 only, at 60); a NaN pair is left out
    addCoverage(sums, block([2, 35, 3.5, 50], 2, 2, 1), block([0, 0, 0, 0], 2, 2, 1), halfWidth)
    addCoverage(sums, block([NaN, 0], 1, 2, 1), block([0, 0], 1, 2, 1), { '50': [3, 30], '80': [4, 40] })
    expect(finishCoverage(sums)).toEqual({ '50': 2 / 5, '80': 5 / 5 })
  })

  it('covers about the level on exchangeable residuals', () => {
    // a fixed pseudo-random sequence: calibrate on the first 400, test on the next 4000
    let state = 7
    const noise = () => ((state = (state * 16807) % 2147483647) / 2147483647 - 0.5) * 2
    const residuals = (n: number) => block(Array.from({ length: n }, noise), n, 1, 1)
    const online = createOnlineConformal(1, 1, 5000)
    residuals(400).values.forEach((r, w) => addWindow(online, w, [Math.abs(r)]))
    const widths = halfWidthsAt(online, 400, [80, 95])
    const sums = createCoverage([80, 95])
    addCoverage(sums, residuals(4000), block(new Array(4000).fill(0), 4000, 1, 1), { '80': new Array(4000).fill(widths['80']![0]), '95': new Array(4000).fill(widths['95']![0]) })
    const coverage = finishCoverage(sums)
    expect(coverage['80']).toBeGreaterThan(0.77)
    expect(coverage['80']).toBeLessThan(0.84)
    expect(coverage['95']).toBeGreaterThan(0.93)
    expect(coverage['95']).toBeLessThan(0.975)
  })
})

describe('forecast intervals', () => {
  it('puts the bounds at forecast ± half-width, per level, target and step', () => {
    expect(intervalBounds([10, 20], [1, 2])).toEqual({ lower: Float64Array.from([9, 18]), upper: Float64Array.from([11, 22]) })
    // horizon 2, targets a and b: values [[1, 100], [2, 200]]
    const intervals = { levels: [80], calibrationWindows: 9, halfWidth: { '80': [0.5, 5, 1, 10] } }
    expect(forecastIntervals(Float64Array.from([1, 100, 2, 200]), intervals, ['a', 'b'], 2)).toEqual({
      '80': { lower: { a: [0.5, 1], b: [95, 190] }, upper: { a: [1.5, 3], b: [105, 210] } },
    })
  })
})
