import { DateTime } from 'luxon'

/** How a dataset writes its times: the tokens and zone its source used (absent: ISO 8601 in UTC). */
export interface TimeStyle {
  timeFormat?: string
  timeZone?: string
}

/**
 * A time (UTC epoch ms) as the dataset's source wrote it — `1974Q1` stays a quarter, a
 * Berlin wall clock stays a Berlin wall clock — or ISO 8601 when asked or when the source
 * had no style of its own. A zone without tokens writes ISO with the zone's offset.
 */
export function timeFormatter(style: TimeStyle, iso = false): (ms: number) => string {
  const { timeFormat, timeZone } = style
  if (iso || (timeFormat === undefined && timeZone === undefined)) return (ms) => new Date(ms).toISOString()
  const zone = timeZone ?? 'utc'
  const isoInZone = (date: DateTime): string => date.toISO() ?? new Date(date.toMillis()).toISOString()
  if (timeFormat === undefined) return (ms) => isoInZone(DateTime.fromMillis(ms, { zone }))
  const holds = heldUnits(timeFormat)
  return (ms) => {
    const date = DateTime.fromMillis(ms, { zone, locale: 'en-US' })
    // a time the style cannot say (an hourly forecast step of a daily dataset) is written in full
    return fitsStyle(date, holds) ? date.toFormat(timeFormat) : isoInZone(date)
  }
}

interface HeldUnits {
  month: boolean
  quarter: boolean
  day: boolean
  time: boolean
}

function heldUnits(tokens: string): HeldUnits {
  const bare = tokens.replace(/'[^']*'/g, '')
  return { month: /[ML]/.test(bare), quarter: bare.includes('q'), day: bare.includes('d'), time: /[Hhms]/.test(bare) }
}

function fitsStyle(date: DateTime, holds: HeldUnits): boolean {
  if (!holds.time && (date.hour !== 0 || date.minute !== 0 || date.second !== 0 || date.millisecond !== 0)) return false
  if (!holds.day && date.day !== 1) return false
  if (!holds.month) return holds.quarter ? date.month % 3 === 1 : date.month === 1
  return true
}

/** The header of a written time column: composite time (`year,quarter`) is written as one `time` column. */
export function timeHeader(timeColumn: string): string {
  return timeColumn.includes(',') ? 'time' : timeColumn
}
