import { describe, expect, it } from 'vitest'
import { makeWindows, maxRegularStepMs, maxStepWithoutGapMs, medianStepMs } from '../../../../src/core/data/windows'

const HOUR = 3_600_000
const hourly = (n: number, gapsAfter: number[] = []) => {
  const times = new Float64Array(n)
  let t = 0
  for (let i = 0; i < n; i++) {
    times[i] = t
    t += gapsAfter.includes(i) ? 5 * HOUR : HOUR
  }
  return times
}

describe('makeWindows', () => {
  it('slides one row at a time over a regular series', () => {
    const w = makeWindows(hourly(10), { lookback: 3, horizon: 2, frequency: 'hourly' })
    expect(Array.from(w.starts)).toEqual([0, 1, 2, 3, 4, 5])
    expect(w.droppedForGaps).toBe(0)
  })

  it('never lets a window span a timestamp gap', () => {
    // gap between rows 4 and 5
    const times = hourly(12, [4])
    const w = makeWindows(times, { lookback: 2, horizon: 1, frequency: 'hourly' })
    for (const s of w.starts) {
      for (let r = s + 1; r < s + 3; r++) expect(times[r]! - times[r - 1]!).toBe(HOUR)
    }
    expect(Array.from(w.starts)).toEqual([0, 1, 2, 5, 6, 7, 8, 9])
    expect(w.droppedForGaps).toBe(2)
  })

  it('treats duplicated or unsorted timestamps as a break (reliability 24)', () => {
    const times = Float64Array.from([0, HOUR, HOUR, 2 * HOUR, 3 * HOUR])
    const w = makeWindows(times, { lookback: 1, horizon: 1, frequency: 'hourly' })
    expect(Array.from(w.starts)).toEqual([0, 2, 3])
  })

  it('drops windows whose targets are missing but keeps windows with missing inputs', () => {
    const missing = new Uint8Array(8)
    missing[3] = 1
    const w = makeWindows(hourly(8), { lookback: 2, horizon: 1, frequency: 'hourly', targetMissing: missing })
    // the window starting at 1 predicts row 3; windows starting at 2 and 3 only read row 3 as input
    expect(Array.from(w.starts)).toEqual([0, 2, 3, 4, 5])
    expect(w.droppedForMissingTargets).toBe(1)
  })

  it('does not call a 31-day month a gap, but a missing month is one', () => {
    const day = 24 * HOUR
    const times = Float64Array.from([0, 31, 59, 90, 120, 151, 212].map((d) => d * day))
    const w = makeWindows(times, { lookback: 2, horizon: 1, frequency: 'monthly' })
    expect(Array.from(w.starts)).toEqual([0, 1, 2, 3])
    expect(maxRegularStepMs('every 250ms')).toBe(250)
  })

  it('uses the median step for an irregular series', () => {
    const times = Float64Array.from([0, 10, 21, 30, 100, 110, 121])
    expect(medianStepMs(times)).toBe(11)
    const w = makeWindows(times, { lookback: 1, horizon: 1, frequency: 'irregular' })
    expect(Array.from(w.starts)).toEqual([0, 1, 2, 4, 5])
  })

  it('takes the higher of two middle steps as the median, and tolerates 1.5 of it without a regular step', () => {
    // steps 10, 10, 20, 20: the middle pair is 10 and 20, the higher median is 20
    const times = Float64Array.from([0, 10, 20, 40, 60])
    expect(medianStepMs(times)).toBe(20)
    expect(maxStepWithoutGapMs(times, null)).toBe(30)
    expect(maxStepWithoutGapMs(times, 250)).toBe(250)
  })
})
