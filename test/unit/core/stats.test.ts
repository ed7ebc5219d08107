import { describe, expect, it } from 'vitest'
import { percentileOfSorted } from '../../../src/core/stats'

describe('percentileOfSorted', () => {
  it('interpolates as numpy.percentile does by default (linear)', () => {
    // position (4 − 1)·p/100: 0.3 → 1 + 0.3·(2 − 1); 1.5 → 2 + 0.5·(3 − 2)
    expect(percentileOfSorted([1, 2, 3, 4], 10, 'linear')).toBeCloseTo(1.3, 12)
    expect(percentileOfSorted([1, 2, 3, 4], 50, 'linear')).toBe(2.5)
    expect(percentileOfSorted([1, 2, 3, 4], 100, 'linear')).toBe(4)
    expect(percentileOfSorted([1, 2, 3, 4], 0, 'linear')).toBe(1)
    expect(percentileOfSorted([7], 10, 'linear')).toBe(7)
  })

  it('takes the sample below (lower) or above (higher) the position, never a value between', () => {
    expect(percentileOfSorted([1, 2, 3, 4], 50, 'lower')).toBe(2)
    expect(percentileOfSorted([1, 2, 3, 4], 50, 'higher')).toBe(3)
    // an odd count has a middle sample: all three methods agree
    expect(percentileOfSorted([1, 2, 10], 50, 'lower')).toBe(2)
    expect(percentileOfSorted([1, 2, 10], 50, 'higher')).toBe(2)
    expect(percentileOfSorted([1, 2, 10], 50, 'linear')).toBe(2)
    expect(percentileOfSorted([1, 2, 3, 4], 90, 'lower')).toBe(3)
    expect(percentileOfSorted([1, 2, 3, 4], 90, 'higher')).toBe(4)
  })

  it('is NaN without values, whatever the method', () => {
    expect(percentileOfSorted([], 10, 'linear')).toBeNaN()
    expect(percentileOfSorted([], 50, 'lower')).toBeNaN()
    expect(percentileOfSorted([], 50, 'higher')).toBeNaN()
  })
})
