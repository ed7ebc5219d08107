import { describe, expect, it } from 'vitest'
import { gradNormStats } from '../../../../src/core/train/norm-stats'

describe('gradNormStats', () => {
  it('summarises pre-clip norms with linear-interpolated quantiles', () => {
    const stats = gradNormStats([4, 1, 3, 2])
    expect(stats).toMatchObject({ mean: 2.5, p50: 2.5, max: 4 })
    // (n - 1)·0.95 = 2.85: between the 3rd and 4th smallest
    expect(stats.p95).toBeCloseTo(3.85, 12)
    expect(gradNormStats([7])).toEqual({ mean: 7, p50: 7, p95: 7, max: 7 })
    expect(gradNormStats([])).toEqual({ mean: 0, p50: 0, p95: 0, max: 0 })
  })
})
