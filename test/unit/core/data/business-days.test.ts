import { describe, expect, it } from 'vitest'
import { businessStep, continueBusinessDays, weekdayOfDay, weekdaysBetween } from '../../../../src/core/data/business-days'
import { continueTimes } from '../../../../src/core/data/calendar'
import { inferFrequency } from '../../../../src/core/data/frequency'
import { continueZonedTimes } from '../../../../src/core/data/time-zone'
import { makeWindows, regularSteps } from '../../../../src/core/data/windows'
import { seasonForFrequency } from '../../../../src/core/eval/baselines'
import { shapeForFrequency } from '../../../../src/shared/run-defaults'

const DAY = 86_400_000
/** UTC midnights of 2024 January days (1 January 2024 is a Monday). */
const january = (...days: number[]) => Float64Array.from(days.map((d) => Date.UTC(2024, 0, d)))
const iso = (times: readonly number[]) => times.map((t) => new Date(t).toISOString().slice(0, 16))
// two trading weeks, 1–12 January
const TWO_WEEKS = [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]

describe('weekday arithmetic', () => {
  it('numbers days Monday 1 … Sunday 7 and counts the weekdays strictly between two days', () => {
    const monday = Date.UTC(2024, 0, 1) / DAY
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((k) => weekdayOfDay(monday + k))).toEqual([1, 2, 3, 4, 5, 6, 7, 1])
    expect(weekdayOfDay(0)).toBe(4) // 1970-01-01, a Thursday
    expect(weekdayOfDay(-1)).toBe(3)
    expect(weekdaysBetween(monday + 4, monday + 7)).toBe(0) // Friday → Monday
    expect(weekdaysBetween(monday + 4, monday + 8)).toBe(1) // Friday → Tuesday: the Monday
    expect(weekdaysBetween(monday + 3, monday + 8)).toBe(2) // Thursday → Tuesday: Good Friday and Easter Monday
    expect(weekdaysBetween(monday, monday + 7)).toBe(4) // Monday → Monday
    expect(weekdaysBetween(monday, monday + 1)).toBe(0)
    expect(weekdaysBetween(monday + 5, monday + 6)).toBe(0) // Saturday → Sunday
  })

  it('reads a step as regular up to two missing weekdays, a gap beyond, irregular off whole days', () => {
    const at = (d: number, h = 0) => Date.UTC(2024, 0, d, h)
    expect(businessStep(at(5), at(8))).toEqual({ kind: 'regular' }) // a weekend
    expect(businessStep(at(4), at(9))).toEqual({ kind: 'regular' }) // a weekend and two holidays
    expect(businessStep(at(1), at(4))).toEqual({ kind: 'regular' }) // two holidays midweek
    expect(businessStep(at(1), at(5))).toEqual({ kind: 'gap', missing: 3 })
    expect(businessStep(at(5), at(15))).toEqual({ kind: 'gap', missing: 5 }) // a week closed
    expect(businessStep(at(5), at(8, 12))).toEqual({ kind: 'irregular' })
    expect(businessStep(at(5), at(5))).toEqual({ kind: 'irregular' })
  })
})

describe('inferring business days', () => {
  it('names weekday-only daily rows with weekend jumps business-daily, holidays not gaps', () => {
    expect(inferFrequency(january(...TWO_WEEKS))).toEqual({ frequency: 'business-daily', gaps: { count: 0 }, irregular: { count: 0 } })
    // Monday the 8th a holiday: Friday → Tuesday is regular
    expect(inferFrequency(january(1, 2, 3, 4, 5, 9, 10, 11, 12)).gaps.count).toBe(0)
  })

  it('counts a week closed as one gap of five missing business days', () => {
    const report = inferFrequency(january(1, 2, 3, 4, 5, 15, 16, 17, 18, 19, 22, 23))
    expect(report.frequency).toBe('business-daily')
    expect(report.gaps).toEqual({ count: 1, first: { from: Date.UTC(2024, 0, 5), to: Date.UTC(2024, 0, 15), missingSteps: 5 } })
  })

  it('keeps daily for rows on a weekend, and for weekdays that never cross one', () => {
    expect(inferFrequency(january(1, 2, 3, 4, 5, 6, 8, 9, 10)).frequency).toBe('daily')
    expect(inferFrequency(january(1, 2, 3, 4, 5)).frequency).toBe('daily')
  })
})

describe('windows over business days', () => {
  it('lets windows cross weekends and a holiday, never a week closed', () => {
    // Monday 8th a holiday; 15–19 closed
    const times = january(1, 2, 3, 4, 5, 9, 10, 11, 12, 22, 23, 24, 25, 26)
    const windows = makeWindows(times, { lookback: 3, horizon: 1, frequency: 'business-daily' })
    expect(Array.from(windows.starts)).toEqual([0, 1, 2, 3, 4, 5, 9, 10])
    expect(windows.droppedForGaps).toBe(3)
    expect(windows.maxStepMs).toBe(5 * DAY)
    // as daily, every window over the weekend would be a gap
    expect(Array.from(makeWindows(times, { lookback: 3, horizon: 1, frequency: 'daily' }).starts)).toEqual([0, 1, 5, 9, 10])
  })

  it('counts the weekdays on the calendar of the dataset zone', () => {
    // Tokyo midnights of Wednesday 3rd and Monday 8th (Thursday and Friday holidays) are Tuesday and Sunday 15:00 UTC
    const times = Float64Array.from([Date.UTC(2024, 0, 2, 15), Date.UTC(2024, 0, 7, 15)])
    expect(regularSteps(times, 'business-daily', { timeZone: 'Asia/Tokyo' }).regular(1)).toBe(true)
    // read in UTC, Tuesday → Sunday misses three weekdays
    expect(regularSteps(times, 'business-daily').regular(1)).toBe(false)
  })
})

describe('business days after the end', () => {
  it('skip Saturdays and Sundays', () => {
    // from Thursday 4th: Friday, Monday, Tuesday
    expect(iso(continueTimes(january(2, 3, 4), 'business-daily', 3))).toEqual(['2024-01-05T00:00', '2024-01-08T00:00', '2024-01-09T00:00'])
    expect(iso(continueBusinessDays(Date.UTC(2024, 0, 5, 16), 2, 5))).toEqual(['2024-01-12T16:00', '2024-01-19T16:00'])
  })

  it('keep local midnight in the dataset zone across a DST change', () => {
    // New York moves to summer time on Sunday 10 March 2024: Friday midnight is 05:00 UTC, Monday's 04:00 UTC
    const friday = Date.UTC(2024, 2, 8, 5)
    expect(iso(continueZonedTimes(Float64Array.from([friday - DAY, friday]), 'business-daily', 2, undefined, 'America/New_York'))).toEqual(['2024-03-11T04:00', '2024-03-12T04:00'])
  })

  it('suggest a trading week ahead, four back, and a five-day season', () => {
    expect(shapeForFrequency('business-daily')).toEqual({ horizon: 5, lookback: 20, season: 5 })
    expect(seasonForFrequency('business-daily')).toBe(5)
  })
})
