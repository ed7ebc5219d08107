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
  if (timeFormat === undefined) return (ms) => DateTime.fromMillis(ms, { zone }).toISO() ?? new Date(ms).toISOString()
  return (ms) => DateTime.fromMillis(ms, { zone, locale: 'en-US' }).toFormat(timeFormat)
}

/** The header of a written time column: composite time (`year,quarter`) is written as one `time` column. */
export function timeHeader(timeColumn: string): string {
  return timeColumn.includes(',') ? 'time' : timeColumn
}
