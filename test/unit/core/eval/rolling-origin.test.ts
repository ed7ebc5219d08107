import { describe, expect, it } from 'vitest'
import { PLAN_ROWS, windowPlan } from '../../../helpers/window-plan'
import { linearStarts } from '../../../../src/core/eval/linear-starts'
import { chooseStartOnRollingOrigin, foldCount, indistinguishable, oneStandardErrorChoice, startResiduals } from '../../../../src/core/eval/rolling-origin'

const ROWS = PLAN_ROWS
const plan = windowPlan

describe('foldCount', () => {
  it('cuts blocks at least a horizon long, at most five, and none when two do not fit', () => {
    expect(foldCount(57, 5)).toBe(5)
    expect(foldCount(26, 12)).toBe(2)
    expect(foldCount(23, 12)).toBe(0)
    expect(foldCount(11, 12)).toBe(0)
    expect(foldCount(9, 3, 2)).toBe(2)
  })
})

describe('oneStandardErrorChoice', () => {
  it('takes the first (simplest) candidate within one standard error of the best mean', () => {
    // best: mean 0.9 over blocks 0.8, 1.0, 0.9; sd 0.1, standard error 0.1 / √3 ≈ 0.0577
    const best = { name: 'ridge', blocks: [0.8, 1.0, 0.9] }
    expect(oneStandardErrorChoice([{ name: 'naive', blocks: [0.95, 0.95, 0.95] }, best]).name).toBe('naive')
    expect(oneStandardErrorChoice([{ name: 'naive', blocks: [0.96, 0.96, 0.96] }, best]).name).toBe('ridge')
    expect(oneStandardErrorChoice([{ name: 'naive', blocks: [1, 1, 1] }, { name: 'drift', blocks: [0.9, 0.95, 1] }, best]).name).toBe('drift')
  })
})

describe('indistinguishable', () => {
  it('keeps the simplest of each kind within one standard error of the best, or the one-standard-error choice when it is the best', () => {
    // best: ridge, mean 0.9, standard error 0.1 / √3 ≈ 0.0577, so the threshold is ≈ 0.9577
    const ridge = { name: 'linear', blocks: [0.8, 1.0, 0.9] }
    const heavy = { name: 'linear', blocks: [0.95, 0.95, 0.95] }
    const naive = { name: 'naive', blocks: [0.95, 0.95, 0.95] }
    const drift = { name: 'drift', blocks: [0.96, 0.96, 0.96] }
    expect(indistinguishable([naive, drift, heavy, ridge])).toEqual([naive, heavy])
    expect(indistinguishable([drift, ridge])).toEqual([ridge])
    // naive is the best: nothing to combine
    expect(indistinguishable([{ name: 'naive', blocks: [0.85, 0.85, 0.85] }, ridge])).toEqual([{ name: 'naive', blocks: [0.85, 0.85, 0.85] }])
  })
})

describe('chooseStartOnRollingOrigin', () => {
  it('takes drift on a straight line, where drift is exact and simpler than the ridge', () => {
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => 0.5 * t))
    const choice = chooseStartOnRollingOrigin(data, series, null)!
    expect(choice.chosen.name).toBe('drift')
    expect(choice.penalty).toBeNull()
    // 60 training and validation windows, the last 36 of them forecast, in five blocks
    expect(choice.folds).toBe(5)
    expect(Array.from(choice.windows)).toEqual([...Array.from({ length: 26 }, (_, i) => 24 + i), ...Array.from({ length: 10 }, (_, i) => 55 + i)])
    expect(choice.errors.naive).toBeCloseTo(0.75, 6) // steps 1 and 2 miss by 0.5 and 1
    expect(choice.errors.drift).toBeCloseTo(0, 6)
    expect(choice.residuals.every((r) => Math.abs(r) < 1e-6)).toBe(true)
  })

  it('takes naive on a constant stretch, and the ridge on an oscillation only it extrapolates', () => {
    const flat = plan(Float64Array.from({ length: ROWS }, (_, t) => (t < 20 ? Math.sin(t) : 3)))
    expect(chooseStartOnRollingOrigin(flat.data, flat.series, null)!.chosen.name).toBe('naive')
    const wave = plan(Float64Array.from({ length: ROWS }, (_, t) => Math.sin(t / 2)))
    const choice = chooseStartOnRollingOrigin(wave.data, wave.series, null)!
    expect(choice.chosen.name).toBe('linear')
    expect(choice.errors.linear).toBeLessThan(0.01 * choice.errors.naive!)
  })

  it('takes the mean of drift and the ridge when the ridge wins by less than a standard error', () => {
    // a random walk with drift (steps 0.3 + uniform(−0.5, 0.5), Park–Miller generator, seed 3)
    let state = 3
    let y = 0
    const values = Float64Array.from({ length: ROWS }, () => (y += 0.3 + (state = (state * 16807) % 2147483647) / 2147483647 - 0.5))
    const { data, series } = plan(values)
    const choice = chooseStartOnRollingOrigin(data, series, null)!
    expect(choice.chosen.name).toBe('combination')
    expect(choice.chosen.members).toEqual(['drift', 'linear'])
    expect(choice.penalty).toBe(100)
    // scored on the same windows, the mean does better than either of its parts here
    expect(choice.errors.combination).toBeLessThan(choice.errors.linear!)
    expect(choice.errors.combination).toBeLessThan(choice.errors.drift!)
  })

  it('never reads a row of the test part', () => {
    const values = Float64Array.from({ length: ROWS }, (_, t) => Math.sin(t / 2) + 0.01 * t)
    const before = plan(values.slice())
    const changed = values.slice()
    // the last validation window (start 64) forecasts rows 68–69
    for (let t = 70; t < ROWS; t++) changed[t] = 1e6
    const after = plan(changed)
    const a = chooseStartOnRollingOrigin(before.data, before.series, null)!
    const b = chooseStartOnRollingOrigin(after.data, after.series, null)!
    expect(b.errors).toEqual(a.errors)
    expect(Array.from(b.chosen.weights)).toEqual(Array.from(a.chosen.weights))
  })

  it('is null when fewer than two horizons of windows are left to forecast', () => {
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => t))
    const short = { ...data, split: { ...data.split, train: data.split.train.slice(0, 4), val: new Int32Array() } }
    expect(chooseStartOnRollingOrigin(short, series, null)).toBeNull()
  })
})

describe('startResiduals', () => {
  it('gives a start\'s absolute errors in original units', () => {
    // y = t with training std 2: the naive forecast misses step h by h, whatever the scale
    const { data, series } = plan(Float64Array.from({ length: ROWS }, (_, t) => t), 2)
    const naive = linearStarts(data, 1, null, null)[0]!
    expect(Array.from(startResiduals(naive, data, series, Int32Array.from([0, 10])))).toEqual([1, 2, 1, 2])
  })
})
