import { describe, expect, it } from 'vitest'
import { gatherRows, memoryReader, pickRows, type ColumnReader } from '../../../../src/core/data/series-sample'

/** Seeded values with spikes and missing cells, so buckets have real extremes. */
function column(rows: number, seed: number): number[] {
  let state = seed
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  return Array.from({ length: rows }, () => {
    const u = next()
    return u < 0.02 ? Number.NaN : u > 0.99 ? 100 * u : u
  })
}

function recording(read: ColumnReader): { read: ColumnReader; largest: () => number } {
  let largest = 0
  return {
    read: (name, range) => {
      largest = Math.max(largest, range.end - range.start)
      return read(name, range)
    },
    largest: () => largest,
  }
}

describe('block-by-block downsampling', () => {
  const rows = 5003
  const columns = new Map([
    ['a', column(rows, 1)],
    ['b', column(rows, 2)],
  ])

  it('picks the same rows in blocks as in one pass, never reading more than a block (reliability 22)', () => {
    const whole = pickRows(memoryReader(columns), ['a', 'b'], { start: 0, end: rows }, 300, 1e9)
    const spy = recording(memoryReader(columns))
    expect(pickRows(spy.read, ['a', 'b'], { start: 0, end: rows }, 300, 97)).toEqual(whole)
    expect(spy.largest()).toBeLessThanOrEqual(97)
    expect(whole.length).toBeLessThanOrEqual(300)
    expect(whole[whole.length - 1]).toBe(rows - 1)
  })

  it('keeps each bucket\'s extremes over a sub-range, and gathers the values at the picked rows', () => {
    const range = { start: 1000, end: 4000 }
    const picked = pickRows(memoryReader(columns), ['a'], range, 100, 64)
    const a = columns.get('a')!
    const spike = a.slice(1000, 4000).reduce((best, v, i, all) => (v > all[best]! ? i : best), 0)
    expect(picked).toContain(spike)
    const spy = recording(memoryReader(columns))
    const values = gatherRows(spy.read, 'a', range, picked, 64)
    expect(Array.from(values)).toEqual(picked.map((i) => a[1000 + i]))
    expect(spy.largest()).toBeLessThanOrEqual(64)
  })
})
