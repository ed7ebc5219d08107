import { describe, expect, it } from 'vitest'
import { splitWindows } from '../../../../src/core/data/split'

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i)

describe('splitWindows', () => {
  it('puts no training target inside the validation or test period', () => {
    const lookback = 5
    const horizon = 3
    const split = splitWindows(range(100), { lookback, horizon, valFraction: 0.2, testFraction: 0.2 })
    for (const s of split.train) expect(s + lookback + horizon).toBeLessThanOrEqual(split.trainEndRow)
    for (const s of split.val) {
      expect(s + lookback).toBeGreaterThanOrEqual(split.trainEndRow)
      expect(s + lookback + horizon).toBeLessThanOrEqual(split.valEndRow)
    }
    for (const s of split.test) expect(s + lookback).toBeGreaterThanOrEqual(split.valEndRow)
    expect(split.test.length).toBe(20)
    expect(split.val.length).toBe(20)
    // horizon - 1 windows straddle each boundary
    expect(split.purged).toBe(2 * (horizon - 1))
    expect(split.train.length + split.val.length + split.test.length + split.purged).toBe(100)
  })

  it('lets inputs look back across a boundary', () => {
    const split = splitWindows(range(50), { lookback: 10, horizon: 1, valFraction: 0.2, testFraction: 0.2 })
    expect(split.val[0]!).toBeLessThan(split.trainEndRow)
  })

  it('allows an empty validation or test part when its fraction is 0', () => {
    const split = splitWindows(range(20), { lookback: 2, horizon: 2, valFraction: 0, testFraction: 0 })
    expect(split.train.length).toBe(20)
    expect(split.val.length).toBe(0)
    expect(split.test.length).toBe(0)
  })

  it('refuses with DATASET_TOO_SHORT and the numbers when nothing is left for training', () => {
    expect(() => splitWindows(range(3), { lookback: 4, horizon: 4, valFraction: 0.3, testFraction: 0.3 })).toThrow(
      expect.objectContaining({ code: 'DATASET_TOO_SHORT', details: expect.objectContaining({ windows: 3 }) }),
    )
    expect(() => splitWindows(range(0), { lookback: 4, horizon: 4, valFraction: 0.1, testFraction: 0.1 })).toThrow(expect.objectContaining({ code: 'DATASET_TOO_SHORT' }))
  })
})
