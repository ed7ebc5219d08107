import { ClipcastError } from '../../shared/errors'
import { EPOCH_FORMAT, fittingFormats, luxonFormat, luxonParser, parseYear } from './time-formats'

/**
 * One explicit timestamp parser into UTC epoch milliseconds. Accepted without a format:
 * ISO 8601 dates and date-times (`2024-03-04`, `2024-03-04T05:06`, `…:07.125Z`, `…+01:00`,
 * and `2024-03-04 05:06[:07]`); a time without an offset is read as UTC, so DST never
 * repeats or skips an hour. Epoch seconds or milliseconds (chosen by the column's
 * magnitude). Integer years and the Luxon-token formats of time-formats.ts (quarters,
 * year-months, month names, compact dates). `03/04/2024` needs an explicit format: day/month
 * order is chosen by the user, never guessed.
 */
export type TimeKind = 'iso' | 'epoch' | 'epoch-s' | 'epoch-ms' | 'day-month' | 'month-day' | 'year-first' | 'year' | 'luxon'

export interface TimeFormat {
  kind: TimeKind
  /** Separator of the date part for the day-month / month-day / year-first kinds. */
  separator?: string
  label: string
  /** Luxon tokens: how the 'luxon' kind parses, and how any kind that has them writes its times back. */
  tokens?: string
}

const MS_PER_DAY = 86_400_000
const DIGIT0 = 48

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function digits(s: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const d = s.charCodeAt(i) - DIGIT0
    if (d < 0 || d > 9) return -1
    value = value * 10 + d
  }
  return value
}

function dateMs(year: number, month: number, day: number): number {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN
  return daysFromCivil(year, month, day) * MS_PER_DAY
}

/**
 * `HH:MM[:SS[.fff…]]` then an optional `Z` or `±HH[:]MM` offset, starting at `at`;
 * milliseconds since midnight minus the offset, or NaN.
 */
function timeOfDayMs(s: string, at: number, allowOffset: boolean): number {
  const hour = digits(s, at, 2)
  const minute = digits(s, at + 3, 2)
  if (hour < 0 || hour > 23 || s.charCodeAt(at + 2) !== 58 || minute < 0 || minute > 59) return NaN
  let i = at + 5
  let ms = hour * 3_600_000 + minute * 60_000
  if (s.charCodeAt(i) === 58) {
    const second = digits(s, i + 1, 2)
    if (second < 0 || second > 59) return NaN
    ms += second * 1000
    i += 3
    if (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44) {
      let scale = 100
      const start = ++i
      for (; i < s.length; i++) {
        const d = s.charCodeAt(i) - DIGIT0
        if (d < 0 || d > 9) break
        ms += d * scale
        scale /= 10
      }
      if (i === start) return NaN
      ms = Math.round(ms)
    }
  }
  if (i === s.length) return ms
  if (!allowOffset) return NaN
  const c = s.charCodeAt(i)
  if ((c === 90 || c === 122) && i + 1 === s.length) return ms
  if (c !== 43 && c !== 45) return NaN
  const oh = digits(s, i + 1, 2)
  const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0
  const om = s.length === i + 3 ? 0 : digits(s, i + 3 + colon, 2)
  if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN
  if (s.length !== i + 3 && s.length !== i + 5 + colon) return NaN
  const offset = (oh * 60 + om) * 60_000
  return c === 43 ? ms - offset : ms + offset
}

/** ISO 8601 date or date-time (see the file comment) → UTC epoch ms, or NaN. */
export function parseIsoTimestamp(s: string): number {
  const n = s.length
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 2)
  const day = digits(s, 8, 2)
  if (year < 0 || month < 0 || day < 0) return NaN
  const date = dateMs(year, month, day)
  if (n === 10) return date
  const sep = s.charCodeAt(10)
  if (sep !== 84 && sep !== 32 && sep !== 116) return NaN
  return date + timeOfDayMs(s, 11, true)
}

/** A plain number (epoch seconds or milliseconds before scaling), or NaN. */
export function parseEpochNumber(s: string): number {
  if (s.length === 0) return NaN
  const c = s.charCodeAt(0)
  if (c !== 45 && c !== 43 && (c < DIGIT0 || c > DIGIT0 + 9)) return NaN
  const value = Number(s)
  return Number.isFinite(value) ? value : NaN
}

/** `D/M/YYYY`-style dates in a given order, with an optional ` HH:MM[:SS]`. */
function parseOrdered(s: string, kind: 'day-month' | 'month-day' | 'year-first', separator: string): number {
  const space = s.indexOf(' ')
  const datePart = space < 0 ? s : s.slice(0, space)
  const parts = datePart.split(separator)
  if (parts.length !== 3) return NaN
  const [a, b, c] = parts as [string, string, string]
  const [yearText, monthText, dayText] = kind === 'day-month' ? [c, b, a] : kind === 'month-day' ? [c, a, b] : [a, b, c]
  if (yearText.length !== 4 || monthText.length < 1 || monthText.length > 2 || dayText.length < 1 || dayText.length > 2) return NaN
  const year = digits(yearText, 0, 4)
  const month = digits(monthText, 0, monthText.length)
  const day = digits(dayText, 0, dayText.length)
  if (year < 0 || month < 0 || day < 0) return NaN
  const date = dateMs(year, month, day)
  if (space < 0) return date
  const time = s.slice(space + 1)
  return date + timeOfDayMs(time.length === 4 || time.length === 7 ? '0' + time : time, 0, false)
}

const ORDERED_FORMAT = /^(DD|MM|YYYY)([/.-])(DD|MM|YYYY)\2(DD|MM|YYYY)( HH:MM(:SS)?)?$/i

/**
 * Reads a --time-format: `iso`, `epoch-s`, `epoch-ms`, or a date pattern of DD, MM and YYYY
 * with one separator (/ . -), optionally followed by ` HH:MM` or ` HH:MM:SS` (a time of day is
 * accepted in the cells either way).
 */
export function compileTimeFormat(format: string): TimeFormat {
  const f = format.trim()
  if (/^iso(8601)?$/i.test(f)) return { kind: 'iso', label: 'ISO 8601' }
  if (/^epoch-?s(econds)?$|^unix$/i.test(f)) return { kind: 'epoch-s', label: 'epoch seconds' }
  if (/^epoch-?ms$|^epoch-?millis(econds)?$/i.test(f)) return { kind: 'epoch-ms', label: 'epoch milliseconds' }
  const m = ORDERED_FORMAT.exec(f)
  if (m) {
    const order = [m[1]!, m[3]!, m[4]!].map((t) => t.toUpperCase()).join(',')
    const kind = order === 'DD,MM,YYYY' ? 'day-month' : order === 'MM,DD,YYYY' ? 'month-day' : order === 'YYYY,MM,DD' ? 'year-first' : undefined
    if (kind !== undefined) return { kind, separator: m[2]!, label: f }
  }
  if (/^y(ear)?$|^yyyy$/i.test(f)) return { kind: 'year', label: 'integer year', tokens: 'yyyy' }
  // Luxon tokens: a year is required, and only letters Luxon parses may stand unquoted
  const unquoted = f.replace(/'[^']*'/g, '')
  if (unquoted.includes('y') && /^[^A-Za-z]*(?:[yMLdHhmsSaqZ]+[^A-Za-z]*)+$/.test(unquoted)) return luxonFormat(f)
  throw new ClipcastError('CSV_BAD_TIMESTAMP', `The time format ${JSON.stringify(format)} is not supported.`, {
    hint: 'Use DD/MM/YYYY, MM/DD/YYYY or YYYY/MM/DD (separator / . or -), optionally followed by " HH:MM" or " HH:MM:SS"; iso, epoch-s, epoch-ms, year; or Luxon tokens such as MMM-d-yyyy, yyyyMMdd, yyyy\'Q\'q.',
  })
}

/** The parser of a format: cell → epoch ms (or raw epoch number for kind 'epoch'), NaN when it does not parse. */
export function timeParser(format: TimeFormat): (cell: string) => number {
  switch (format.kind) {
    case 'iso':
      return parseIsoTimestamp
    case 'epoch':
    case 'epoch-ms':
      return parseEpochNumber
    case 'epoch-s':
      return (s) => parseEpochNumber(s) * 1000
    case 'year':
      return parseYear
    case 'luxon':
      return luxonParser(format.tokens ?? '')
    default: {
      const kind = format.kind
      const separator = format.separator ?? '/'
      return (s) => parseOrdered(s, kind, separator)
    }
  }
}

/**
 * Column-wise choice between epoch seconds and milliseconds: values of 1e11 and above are
 * milliseconds (1e11 s would be the year 5138; 1e11 ms is 1973). Mutates and returns `raw`.
 */
export function scaleEpoch(raw: Float64Array): Float64Array {
  let maxAbs = 0
  for (let i = 0; i < raw.length; i++) maxAbs = Math.max(maxAbs, Math.abs(raw[i]!))
  if (maxAbs < 1e11) for (let i = 0; i < raw.length; i++) raw[i] = Math.round(raw[i]! * 1000)
  return raw
}

const SLASH_DATE = /^\d{1,2}([/.-])\d{1,2}\1\d{4}( \d{1,2}:\d{2}(:\d{2})?)?$/
const YEAR_FIRST_DATE = /^\d{4}([/.])\d{1,2}\1\d{1,2}( \d{1,2}:\d{2}(:\d{2})?)?$/
const TIME_LIKE_NAME = /time|date|epoch|unix|stamp|^ts$|^t$/i

export type TimeDetection =
  | { kind: 'format'; format: TimeFormat }
  | { kind: 'ambiguous-order'; example: string; dayFirstOnly: boolean; monthFirstOnly: boolean }
  | { kind: 'ambiguous'; candidates: TimeFormat[]; example: string }
  | { kind: 'none' }

/** DD/MM/YYYY or MM/DD/YYYY with the cells' separator, and the time of day when they have one, as --time-format writes it. */
function orderedFormat(kind: 'day-month' | 'month-day', cells: string[]): TimeFormat {
  const separator = /[/.-]/.exec(cells[0]!)![0]
  const [first, second] = kind === 'day-month' ? ['DD', 'MM'] : ['MM', 'DD']
  return { kind, separator, label: `${first}${separator}${second}${separator}YYYY${timeOfDay(cells).toUpperCase()}` }
}

/** The time of day the cells carry, as Luxon tokens: ' HH:mm:ss', ' HH:mm' or none. */
function timeOfDay(cells: string[]): string {
  return cells.some((c) => c.split(':').length === 3) ? ' HH:mm:ss' : cells.some((c) => c.includes(':')) ? ' HH:mm' : ''
}

/** What a sample of a column's cells looks like as time (blank cells ignored; an empty sample is not time). */
export function detectTimeFormat(name: string, cells: string[], named = false): TimeDetection {
  const present = cells.map((c) => c.trim()).filter((c) => c.length > 0)
  if (present.length === 0) return { kind: 'none' }
  // a column that is mostly ISO dates is the time column; its odd cells are reported with their line when read
  const iso = present.filter((c) => !Number.isNaN(parseIsoTimestamp(c))).length
  if (iso > 0 && iso * 2 >= present.length) return { kind: 'format', format: { kind: 'iso', label: 'ISO 8601' } }
  if (present.every((c) => SLASH_DATE.test(c))) {
    const firsts = present.map((c) => Number(c.split(/[/.-]/)[0]))
    const seconds = present.map((c) => Number(c.split(/[/.-]/)[1]))
    const dayFirstOnly = firsts.some((v) => v > 12)
    const monthFirstOnly = seconds.some((v) => v > 12)
    // a 13 or more in one place is a day: when only one order reads every sampled cell, the data
    // has chosen it (a later cell that does not fit is an error with its line, never a silent
    // reading); when every number could be a month, or both places exceed 12, the user chooses
    if (dayFirstOnly !== monthFirstOnly) return { kind: 'format', format: orderedFormat(dayFirstOnly ? 'day-month' : 'month-day', present) }
    return { kind: 'ambiguous-order', example: present[0]!, dayFirstOnly, monthFirstOnly }
  }
  const yearFirst = YEAR_FIRST_DATE.exec(present[0]!)
  if (yearFirst && present.every((c) => YEAR_FIRST_DATE.test(c) && c.charAt(4) === yearFirst[1])) {
    // year first is never read year-day-month: no order to choose
    const separator = yearFirst[1]!
    const time = timeOfDay(present)
    return { kind: 'format', format: { kind: 'year-first', separator, label: `YYYY${separator}MM${separator}DD${time.toUpperCase()}`, tokens: `yyyy${separator}MM${separator}dd${time}` } }
  }
  const fits = fittingFormats(name, present, named)
  if (fits.length === 1) return { kind: 'format', format: fits[0]! }
  if (fits.length > 1) return { kind: 'ambiguous', candidates: fits, example: present[0]! }
  if (TIME_LIKE_NAME.test(name) && present.every((c) => Math.abs(parseEpochNumber(c)) >= 1e8)) return { kind: 'format', format: EPOCH_FORMAT }
  return { kind: 'none' }
}

export function formatTime(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms)
}
