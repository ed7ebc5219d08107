import { describe, expect, it } from 'vitest'
import { downsampleIndices } from '../../../src/core/series-read'

describe('downsampleIndices', () => {
  it('keeps every row when there are few enough', () => {
    expect(downsampleIndices([[1, 2, 3]], 3, 10)).toEqual([0, 1, 2])
  })

  it('keeps a single spike that every-k-th sampling would lose', () => {
    const values = Array.from({ length: 10_000 }, () => 1)
    values[4321] = 500
    const picked = downsampleIndices([values], values.length, 100)
    expect(picked.length).toBeLessThanOrEqual(100)
    expect(picked).toContain(4321)
    expect(picked[picked.length - 1]).toBe(9999)
    expect([...picked].sort((a, b) => a - b)).toEqual(picked)
  })

  it('keeps the extremes of every column and ignores missing values', () => {
    const a = Array.from({ length: 1000 }, (_, i) => i)
    const b = Array.from({ length: 1000 }, (_, i) => (i === 10 ? -50 : i === 20 ? Number.NaN : 0))
    const picked = downsampleIndices([a, b], 1000, 40)
    expect(picked).toContain(10)
    expect(picked.length).toBeLessThanOrEqual(40)
  })
})
