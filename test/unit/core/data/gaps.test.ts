import { describe, expect, it } from 'vitest'
import { fillGaps } from '../../../../src/core/data/gaps'
import { makeWindows } from '../../../../src/core/data/windows'

const H = 3_600_000

describe('fillGaps', () => {
  it('adds a NaN row at each missing time of a fixed-step series (reliability 24)', () => {
    const filled = fillGaps(Float64Array.from([0, H, 4 * H, 5 * H]), [Float64Array.from([1, 2, 3, 4])], H, 100)!
    expect(Array.from(filled.times)).toEqual([0, H, 2 * H, 3 * H, 4 * H, 5 * H])
    expect(Array.from(filled.values[0]!)).toEqual([1, 2, NaN, NaN, 3, 4])
    expect(filled.inserted).toBe(2)
  })

  it('leaves a series off its grid, or one that would grow past the cap, as it is', () => {
    expect(fillGaps(Float64Array.from([0, H, 2.5 * H]), [Float64Array.from([1, 2, 3])], H, 100)).toBeNull()
    expect(fillGaps(Float64Array.from([0, 1000 * H]), [Float64Array.from([1, 2])], H, 100)).toBeNull()
  })
})

describe('makeWindows over empty rows', () => {
  it('never puts an empty row inside a window, nor starts one on it (reliability 24)', () => {
    const times = Float64Array.from({ length: 10 }, (_, i) => i * H)
    const rowBreak = new Uint8Array(10)
    rowBreak[4] = 1
    const windows = makeWindows(times, { lookback: 2, horizon: 1, stepMs: H, rowBreak })
    // windows of 3 rows: those holding row 4 (starts 2, 3, 4) are gone
    expect(Array.from(windows.starts)).toEqual([0, 1, 5, 6, 7])
    expect(windows.droppedForGaps).toBe(3)
  })
})
