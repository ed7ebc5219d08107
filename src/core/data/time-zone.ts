import { IANAZone } from 'luxon'
import type { Frequency } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { continueBusinessDays } from './business-days'
import { continueTimes, parseStep, stepForFrequency, type Step } from './calendar'

const HOUR_MS = 3_600_000

/** The IANA zone of --timezone, or CSV_BAD_TIMEZONE. */
export function ianaZone(name: string): IANAZone {
  if (!IANAZone.isValidZone(name)) {
    throw new ClipcastError('CSV_BAD_TIMEZONE', `${JSON.stringify(name)} is not an IANA time zone.`, {
      hint: 'Give a zone such as Europe/Berlin, America/New_York or UTC.',
      details: { timeZone: name },
    })
  }
  return IANAZone.create(name)
}

/**
 * Turns wall-clock times of one zone (epoch ms as if the wall clock were UTC) into UTC, in
 * row order. A wall-clock time the autumn change repeats maps to its first instant unless
 * that would go back in time from the previous row, then to its second: a file that runs
 * 02:00, 02:30, 02:00, 02:30 is two half-hours of summer time then two of winter time. A
 * wall-clock time the spring change skips does not exist: CSV_NONEXISTENT_TIME with its line.
 */
export function wallClockResolver(zoneName: string, fileName: string, column: string): (wallMs: number, line: number) => number {
  const zone = ianaZone(zoneName)
  let previous = -Infinity
  let cachedHour = NaN
  let cachedOffsetMs = 0
  const offsetMs = (utc: number): number => {
    const hour = Math.floor(utc / HOUR_MS)
    if (hour !== cachedHour) {
      cachedHour = hour
      cachedOffsetMs = zone.offset(utc) * 60_000
    }
    return cachedOffsetMs
  }
  return (wallMs, line) => {
    // the offsets in force half a day either side bracket every real DST change
    const before = offsetMs(wallMs - 12 * HOUR_MS)
    const after = offsetMs(wallMs + 12 * HOUR_MS)
    let first = NaN
    let second = NaN
    for (const offset of [before, after]) {
      const utc = wallMs - offset
      if (offsetMs(utc) !== offset) continue
      if (first !== first) first = utc
      else if (utc !== first) second = utc
    }
    if (first !== first) {
      throw new ClipcastError('CSV_NONEXISTENT_TIME', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${new Date(wallMs).toISOString().slice(0, 19).replace('T', ' ')} does not exist in ${zoneName} (the clocks skip that hour).`, {
        hint: 'Fix or remove that row; a logger that writes such times probably runs on standard time: import it with a fixed-offset zone such as Etc/GMT-1.',
        details: { line, column, timeZone: zoneName },
      })
    }
    if (second === second) {
      const [early, late] = first < second ? [first, second] : [second, first]
      first = early <= previous ? late : early
    }
    previous = first
    return first
  }
}

/** UTC → the zone's wall clock (as epoch ms read as UTC): calendar steps are measured there, where a month is a month. */
export function toWallClock(zoneName: string, utc: Float64Array): Float64Array {
  const zone = ianaZone(zoneName)
  const wall = new Float64Array(utc.length)
  let cachedHour = NaN
  let offsetMs = 0
  for (let i = 0; i < utc.length; i++) {
    const hour = Math.floor(utc[i]! / HOUR_MS)
    if (hour !== cachedHour) {
      cachedHour = hour
      offsetMs = zone.offset(utc[i]!) * 60_000
    }
    wall[i] = utc[i]! + offsetMs
  }
  return wall
}

/**
 * continueTimes for a dataset of a zone's wall-clock times: days and months continue on the
 * wall clock (local midnight stays local midnight across a DST change), then back to UTC.
 * Without a zone, or for steps under a day, UTC continues as it is. Business days step on the
 * zone's calendar directly (continueBusinessDays).
 */
export function continueZonedTimes(history: Float64Array, frequency: Frequency, count: number, step: Step | string | undefined, timeZone: string | undefined): number[] {
  const chosen = typeof step === 'string' ? parseStep(step) : (step ?? stepForFrequency(frequency))
  if (timeZone !== undefined && chosen?.kind === 'business-days' && history.length > 0) {
    ianaZone(timeZone) // an unknown zone is refused (CSV_BAD_TIMEZONE), not stepped as an invalid date
    return continueBusinessDays(history[history.length - 1]!, count, chosen.days, timeZone)
  }
  const utc = continueTimes(history, frequency, count, step)
  if (timeZone === undefined || utc.length === 0 || utc[0]! - history[history.length - 1]! < 23 * HOUR_MS) return utc
  const wall = continueTimes(toWallClock(timeZone, history.subarray(Math.max(0, history.length - 12))), frequency, count, step)
  const resolve = wallClockResolver(timeZone, 'forecast', 'time')
  // a forecast wall-clock time the spring change skips moves an hour on, as clocks do
  return wall.map((w, k) => {
    try {
      return resolve(w, k + 1)
    } catch {
      return resolve(w + HOUR_MS, k + 1)
    }
  })
}
