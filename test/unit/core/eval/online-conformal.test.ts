import { describe, expect, it } from 'vitest'
import { calibrateBatch, type RunCalibration } from '../../../../src/core/eval/calibrate'
import { conformalQuantile } from '../../../../src/core/eval/conformal'
import type { ForecastBlock } from '../../../../src/core/eval/metrics'
import { addWindow, createOnlineConformal, halfWidthsAt, sampleSize } from '../../../../src/core/eval/online-conformal'

const block = (values: number[], windows: number, horizon: number, targets: number): ForecastBlock => ({ values: Float64Array.from(values), windows, horizon, targets })
const plain = (widths: Record<string, Float64Array>) => Object.fromEntries(Object.entries(widths).map(([level, w]) => [level, Array.from(w)]))

describe('online split-conformal', () => {
  it('calibrates each step at an origin only on residuals whose target row is at or before it', () => {
    // horizon 2, one target; windows at origins 0, 1, 2: step 1 forecasts row p + 1, step 2 row p + 2
    const online = createOnlineConformal(2, 1, 100)
    addWindow(online, 0, [1, 10])
    addWindow(online, 1, [2, 20])
    addWindow(online, 2, [3, 30])
    // at origin 1 only window 0's step 1 (row 1) is known; no step 2 yet (row 2 > 1)
    expect(plain(halfWidthsAt(online, 1, [50]))).toEqual({ '50': [1, NaN] })
    // at origin 2: step 1 of windows 0, 1 (rows 1, 2); step 2 of window 0 (row 2). n = 2: ⌈1.5⌉ = 2nd
    expect(plain(halfWidthsAt(online, 2, [50]))).toEqual({ '50': [2, 10] })
    // at origin 3: step 1 {1, 2, 3}: ⌈2⌉ = 2nd; step 2 {10, 20}: 2nd
    expect(plain(halfWidthsAt(online, 3, [50, 10]))).toEqual({ '50': [2, 20], '10': [1, 10] })
    // after the end everything is known: step 2 {10, 20, 30}, 95% → rank ⌈3.8⌉ = 4 > 3 → the largest
    expect(plain(halfWidthsAt(online, Infinity, [95]))).toEqual({ '95': [3, 30] })
    expect(online.pendingOrigins).toEqual([])
  })

  it('maps cells to steps with several targets ([horizon, targets] row-major)', () => {
    // horizon 2, targets a and b: cells a1, b1, a2, b2
    const online = createOnlineConformal(2, 2, 100)
    addWindow(online, 5, [1, 100, 7, 700])
    expect(plain(halfWidthsAt(online, 6, [50]))).toEqual({ '50': [1, 100, NaN, NaN] })
    expect(plain(halfWidthsAt(online, 7, [50]))).toEqual({ '50': [1, 100, 7, 700] })
    expect(online.pendingOrigins).toEqual([]) // a window leaves the queue once every step is known
  })

  it('keeps the latest `capacity` known residuals per step, oldest out first, and leaves NaN out', () => {
    const online = createOnlineConformal(1, 1, 3)
    ;[5, 1, NaN, 3, 2, 2].forEach((r, w) => addWindow(online, w, [r]))
    // known at 10: 5, 1, 3, 2, 2 in that order; the latest three are 3, 2, 2
    expect(plain(halfWidthsAt(online, 10, [10, 50, 95]))).toEqual({ '10': [2], '50': [2], '95': [3] })
    expect(sampleSize(online)).toBe(3)
    addWindow(online, 10, [0.5]) // evicts 3
    expect(plain(halfWidthsAt(online, 11, [95]))).toEqual({ '95': [2] })
  })

  it('refuses a window added before an earlier origin', () => {
    const online = createOnlineConformal(1, 1, 10)
    addWindow(online, 4, [1])
    expect(() => addWindow(online, 3, [1])).toThrow(/origin order/)
  })

  it('equals the conformal quantile of exactly the residuals known at each origin', () => {
    let state = 11
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647
    const horizon = 3
    const online = createOnlineConformal(horizon, 1, 1000)
    const added: Array<{ origin: number; residuals: number[] }> = []
    let origin = 0
    for (let w = 0; w < 60; w++) {
      origin += Math.floor(random() * 3) // repeated origins and jumps
      const widths = halfWidthsAt(online, origin, [80])
      for (let s = 0; s < horizon; s++) {
        const known = added.filter((a) => a.origin + s + 1 <= origin).map((a) => a.residuals[s]!)
        expect(widths['80']![s]).toBe(conformalQuantile(known, 80))
      }
      const residuals = Array.from({ length: horizon }, () => random())
      addWindow(online, origin, residuals)
      added.push({ origin, residuals })
    }
  })
})

describe('adaptive conformal inference on top', () => {
  it('moves each step\'s miscoverage by γ(α − err) once that step\'s residual is known, and reads the width at 1 − αₜ', () => {
    // horizon 2; calibration windows at origins 0…3 with residuals 1, 2, 3, 4 at both steps
    const online = createOnlineConformal(2, 1, 100, { gamma: 0.1, levels: [50] })
    ;[1, 2, 3, 4].forEach((r, w) => addWindow(online, w, [r, r]))
    // at origin 5: n = 4 at both steps, α = 0.5 → rank ⌈5 · 0.5⌉ = 3
    const at5 = halfWidthsAt(online, 5, [50])
    expect(plain(at5)).toEqual({ '50': [3, 3] })
    addWindow(online, 5, [10, 10], at5) // misses both
    // at origin 6 step 1 of window 5 is known (row 6): α = 0.5 + 0.1 · (0.5 − 1) = 0.45, n = 5 → rank ⌈6 · 0.55⌉ = 4;
    // step 2 (row 7) is not yet: α stays 0.5, n = 4 → 3
    const at6 = halfWidthsAt(online, 6, [50])
    expect(plain(at6)).toEqual({ '50': [4, 3] })
    expect(Array.from(online.alpha['50']!).map((a) => +a.toFixed(12))).toEqual([0.45, 0.5])
    addWindow(online, 6, [0, 0], at6) // inside both
    // at origin 7: step 1 of window 6 is a hit: α back to 0.5, n = 6 {0, 1, 2, 3, 4, 10} → ⌈3.5⌉ = 4th = 3;
    // step 2 of window 5 is now known, a miss: α = 0.45, n = 5 {1, 2, 3, 4, 10} → 4th = 4
    expect(plain(halfWidthsAt(online, 7, [50]))).toEqual({ '50': [3, 4] })
  })

  it('takes the largest residual once αₜ reaches 0, and leaves calibration windows out of the update', () => {
    const online = createOnlineConformal(1, 1, 100, { gamma: 1, levels: [50] })
    ;[1, 2, 3, 4].forEach((r, w) => addWindow(online, w, [r]))
    const widths = halfWidthsAt(online, 4, [50])
    expect(plain(widths)).toEqual({ '50': [3] }) // no update from the calibration windows
    addWindow(online, 4, [9], widths) // a miss: α = 0.5 + 1 · (0.5 − 1) = 0
    expect(plain(halfWidthsAt(online, 5, [50]))).toEqual({ '50': [9] })
  })
})

describe('calibrateBatch', () => {
  it('gives each test window the half-widths known at its origin, then adds its residuals', () => {
    // horizon 1: a calibration window at origin 0 with residual 4; test windows at origins 1, 2, 3
    const online = createOnlineConformal(1, 1, 100)
    addWindow(online, 0, [4])
    const calibration: RunCalibration = { levels: [10, 50], online, counts: { history: 0, validation: 1, test: 0 } }
    const actual = block([1, 10, 0], 3, 1, 1)
    const predicted = block([0, 0, 0], 3, 1, 1) // residuals 1, 10, 0
    const widths = plain(calibrateBatch(calibration, [1, 2, 3], actual, predicted))
    // origin 1: {4} (not its own 1); origin 2: {4, 1}; origin 3: {4, 1, 10}. 10% → 1st; 50% → ⌈(n + 1)/2⌉-th
    expect(widths).toEqual({ '10': [4, 1, 1], '50': [4, 4, 4] })
    expect(calibration.counts.test).toBe(3)
    // after the end: {4, 1, 10, 0} at 50% → ⌈2.5⌉ = 3rd → 4; at 10% → 1st → 0
    expect(plain(halfWidthsAt(online, Infinity, [50, 10]))).toEqual({ '50': [4], '10': [0] })
  })
})
