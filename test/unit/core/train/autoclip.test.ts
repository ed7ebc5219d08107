import { describe, expect, it } from 'vitest'
import { autoClipThresholds, NormHistory } from '../../../../src/core/train/autoclip'
import { percentileOfSorted } from '../../../../src/core/stats'

/** A seeded uniform sequence in [0, 1), so the statistical checks are the same on every run. */
function uniform(count: number, seed = 3): number[] {
  let state = seed
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 4294967296
  })
}

describe('AutoClip thresholds', () => {
  // by hand: the p-th percentile of [4], [1, 4], [1, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4, 10]
  it('clip each step at the 10th percentile of every norm so far, the current one included', () => {
    const thresholds = autoClipThresholds([4, 1, 3, 2, 10], 10)
    expect(thresholds.map((t) => Number(t.toFixed(10)))).toEqual([4, 1.3, 1.4, 1.3, 1.4])
  })

  it('follow the percentile they are given', () => {
    expect(autoClipThresholds([4, 1, 3, 2, 10], 50)).toEqual([4, 2.5, 3, 2.5, 3])
    expect(autoClipThresholds([4, 1, 3, 2, 10], 100)).toEqual([4, 4, 4, 4, 10])
  })

  it('are exact up to the cap: the same as sorting everything', () => {
    const norms = uniform(64).map((u) => Math.fround(10 * u))
    const thresholds = autoClipThresholds(norms, 10, 64)
    norms.forEach((_, k) => {
      const sorted = norms.slice(0, k + 1).sort((a, b) => a - b)
      expect(thresholds[k]).toBe(percentileOfSorted(sorted, 10, 'linear'))
    })
  })
})

describe('NormHistory past its cap', () => {
  it('keeps a bounded reservoir whose percentile stays within the stated rank error', () => {
    const history = new NormHistory(5, 1000)
    for (const u of uniform(20_000)) history.add(u)
    expect(history.seen).toBe(20_000)
    expect(history.toState().values).toHaveLength(1000)
    // uniform norms: the true p10 is 0.1; the rank error's σ is √(0.1·0.9/1000) ≈ 0.0095
    expect(Math.abs(history.percentile(10) - 0.1)).toBeLessThan(4 * 0.0095)
  })

  it('continues from its stored state with the same thresholds as without a break', () => {
    const norms = uniform(3000)
    const straight = autoClipThresholds(norms, 10, 500, 9)
    const first = new NormHistory(9, 500)
    norms.slice(0, 1700).forEach((n) => first.add(n))
    const resumed = NormHistory.fromState(first.toState())
    const rest = norms.slice(1700).map((n) => {
      resumed.add(n)
      return resumed.percentile(10)
    })
    expect(rest).toEqual(straight.slice(1700))
  })
})
