import { DateTime } from 'luxon'

/**
 * Business days: rows on weekdays only, one a day, with the weekends left out and the odd
 * holiday too (a trading-day series). Times here are wall-clock times (epoch ms read as UTC,
 * see toWallClock) unless a zone is given; a day number is floor(wall / day).
 *
 * The gap rule counts weekdays: the step from one row to the next is regular when at most
 * MAX_HOLIDAYS weekdays lie between them (a Monday holiday, Good Friday with Easter Monday,
 * Christmas with Boxing Day), and a gap when more do (a week's closure is a gap of 5).
 * Weekends never count.
 */
export const MAX_HOLIDAYS = 2

const DAY_MS = 86_400_000
/** The longest regular step in calendar days: Thursday → Tuesday over a weekend and two holidays. */
export const MAX_BUSINESS_STEP_DAYS = MAX_HOLIDAYS + 3

/** ISO weekday of a day number (days since 1970-01-01, a Thursday): 1 Monday … 7 Sunday. */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1
}

/** Weekdays (Monday–Friday) in [0, day) for day ≥ 0 — or counted back for negative days — so differences count weekdays in a range. */
function weekdaysBefore(day: number): number {
  // day 0 is a Thursday: shift to the Monday before it (day −3), count whole weeks and the rest
  const fromMonday = day + 3
  const weeks = Math.floor(fromMonday / 7)
  return weeks * 5 + Math.min(5, fromMonday - weeks * 7) - 3
}

/** Weekdays strictly between two day numbers (fromDay < toDay). */
export function weekdaysBetween(fromDay: number, toDay: number): number {
  return Math.max(0, weekdaysBefore(toDay) - weekdaysBefore(fromDay + 1))
}

export type BusinessStep = { kind: 'regular' } | { kind: 'gap'; missing: number } | { kind: 'irregular' }

/** How a step between two wall-clock times reads as business days: whole days forward, with at most MAX_HOLIDAYS weekdays missed. */
export function businessStep(fromWall: number, toWall: number): BusinessStep {
  const stepMs = toWall - fromWall
  if (!(stepMs > 0) || stepMs % DAY_MS !== 0) return { kind: 'irregular' }
  const missing = weekdaysBetween(Math.floor(fromWall / DAY_MS), Math.floor(toWall / DAY_MS))
  return missing <= MAX_HOLIDAYS ? { kind: 'regular' } : { kind: 'gap', missing }
}

/**
 * Whether sorted wall-clock times, whose median step is one day, are business days: every
 * row on a weekday, and at least one step over a weekend (else a few weekdays are just days).
 */
export function looksLikeBusinessDays(wallTimes: Float64Array): boolean {
  let overWeekend = false
  for (let i = 0; i < wallTimes.length; i++) {
    const day = Math.floor(wallTimes[i]! / DAY_MS)
    if (weekdayOfDay(day) > 5) return false
    if (i > 0 && weekdayOfDay(day) < weekdayOfDay(Math.floor(wallTimes[i - 1]! / DAY_MS))) overWeekend = true
    else if (i > 0 && wallTimes[i]! - wallTimes[i - 1]! >= 7 * DAY_MS) overWeekend = true
  }
  return overWeekend
}

/**
 * The `count` business days after `last` (UTC epoch ms), each `days` business days after the
 * one before, at the same wall-clock time in `timeZone` (UTC without one): Luxon steps a day at
 * a time on the zone's calendar and skips Saturdays and Sundays. Holidays are not known, so a
 * forecast may land on one.
 */
export function continueBusinessDays(last: number, count: number, days = 1, timeZone?: string): number[] {
  let at = DateTime.fromMillis(last, { zone: timeZone ?? 'utc' })
  const out: number[] = []
  while (out.length < count) {
    for (let left = days; left > 0; ) {
      at = at.plus({ days: 1 })
      if (at.weekday <= 5) left--
    }
    out.push(at.toMillis())
  }
  return out
}
