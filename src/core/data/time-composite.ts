import { ClipcastError } from '../../shared/errors'
import { daysInMonth, detectTimeFormat, timeParser, type TimeFormat } from './timestamps'

/**
 * Time spread over several columns, as macro and climate tables keep it: year + quarter,
 * year + month (+ day), or a date column beside a time-of-day column. Each part is read
 * on its own; the timestamp is the start of the period (a quarter starts on its first month).
 */
export interface TimeSpec {
  indices: number[]
  names: string[]
  format: TimeFormat
  /** A record's time in epoch ms (wall clock read as UTC unless the format carries an offset); NaN when it does not parse. */
  read(record: readonly string[]): number
}

type Part = 'year' | 'quarter' | 'month' | 'day' | 'date' | 'time'
const PART_NAMES: ReadonlyArray<[Part, RegExp]> = [
  ['year', /^(year|yr|yyyy)$/i],
  ['quarter', /^(quarter|qtr|q)$/i],
  ['month', /^(month|mon|mo)$/i],
  ['day', /^(day|dd|dom)$/i],
  ['date', /^(date|day_?date|ds)$/i],
  ['time', /^(time|hour|time_?of_?day|clock)$/i],
]
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const LAYOUTS: ReadonlyArray<{ parts: Part[]; tokens?: string; label: string }> = [
  { parts: ['year', 'quarter'], tokens: "yyyy'Q'q", label: 'year + quarter columns' },
  { parts: ['year', 'month', 'day'], tokens: 'yyyy-MM-dd', label: 'year + month + day columns' },
  { parts: ['year', 'month'], tokens: 'yyyy-MM', label: 'year + month columns' },
  { parts: ['date', 'time'], label: 'date + time columns' },
]

function integerIn(cell: string, min: number, max: number): number {
  const value = /^\d{1,4}$/.test(cell) ? Number(cell) : NaN
  return value >= min && value <= max ? value : NaN
}

/** A month as 1–12 or its English name or abbreviation. */
export function monthNumber(cell: string): number {
  const n = integerIn(cell, 1, 12)
  if (n === n) return n
  const index = MONTHS.indexOf(cell.slice(0, 3).toLowerCase())
  return index >= 0 && cell.length >= 3 ? index + 1 : NaN
}

function quarterNumber(cell: string): number {
  return integerIn(cell.replace(/^q/i, ''), 1, 4)
}

/** `HH:MM[:SS]`, or a whole hour `0`–`23` (an `hour` column) → ms since midnight, else NaN. */
function timeOfDay(cell: string): number {
  const hour = integerIn(cell, 0, 23)
  if (hour === hour) return hour * 3_600_000
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(cell)
  if (!m) return NaN
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)]
  return h < 24 && min < 60 && s < 60 ? ((h * 60 + min) * 60 + s) * 1000 : NaN
}

function reader(parts: Part[], indices: number[], dateFormat: TimeFormat | undefined): (record: readonly string[]) => number {
  const at = (record: readonly string[], part: Part): string => (record[indices[parts.indexOf(part)]!] ?? '').trim()
  if (parts[0] === 'date') {
    const parseDate = timeParser(dateFormat!)
    return (record) => parseDate(at(record, 'date')) + timeOfDay(at(record, 'time'))
  }
  return (record) => {
    const year = integerIn(at(record, 'year'), 1000, 2999)
    const month = parts.includes('quarter') ? quarterNumber(at(record, 'quarter')) * 3 - 2 : monthNumber(at(record, 'month'))
    const day = parts.includes('day') ? integerIn(at(record, 'day'), 1, 31) : 1
    if (!(day <= daysInMonth(year, month))) return NaN
    return Date.UTC(year, month - 1, day)
  }
}

function specOf(layout: (typeof LAYOUTS)[number], names: readonly string[], indices: number[], sampleRows: readonly string[][]): TimeSpec | string {
  let dateFormat: TimeFormat | undefined
  if (layout.parts[0] === 'date') {
    const detection = detectTimeFormat(names[indices[0]!]!, sampleRows.map((r) => r[indices[0]!] ?? ''), true)
    if (detection.kind !== 'format') return `the column ${JSON.stringify(names[indices[0]!])} does not hold dates in a known format`
    dateFormat = detection.format
  }
  const read = reader(layout.parts, indices, dateFormat)
  const bad = sampleRows.find((row) => Number.isNaN(read(row)))
  if (bad !== undefined) return `the row ${JSON.stringify(indices.map((i) => bad[i] ?? '').join(', '))} does not read as ${layout.label}`
  const format: TimeFormat = { kind: 'luxon', label: layout.label, ...(layout.tokens !== undefined ? { tokens: layout.tokens } : {}) }
  return { indices, names: indices.map((i) => names[i]!), format, read }
}

/** Year + quarter (etc.) columns found by their names, when their sample cells read as such. */
export function detectCompositeTime(names: readonly string[], sampleRows: readonly string[][]): TimeSpec | undefined {
  const partAt = new Map<Part, number>()
  names.forEach((name, i) => {
    const part = PART_NAMES.find(([, pattern]) => pattern.test(name.trim()))?.[0]
    if (part !== undefined && !partAt.has(part)) partAt.set(part, i)
  })
  for (const layout of LAYOUTS) {
    if (!layout.parts.every((p) => partAt.has(p))) continue
    const spec = specOf(layout, names, layout.parts.map((p) => partAt.get(p)!), sampleRows)
    if (typeof spec !== 'string') return spec
  }
  return undefined
}

/** The columns the user listed (`year,quarter`), read as the layout whose parts they name in that order of roles. */
export function namedCompositeTime(names: readonly string[], indices: number[], sampleRows: readonly string[][]): TimeSpec {
  const listed = indices.map((i) => names[i]!)
  const roles = listed.map((name) => PART_NAMES.find(([, pattern]) => pattern.test(name.trim()))?.[0])
  // unnamed roles are taken in the usual order: year then quarter or month (then day), or date then time
  const layout = LAYOUTS.find((l) => l.parts.length === indices.length && roles.every((r, k) => r === undefined || r === l.parts[k]))
  const tried = layout !== undefined ? specOf(layout, names, indices, sampleRows) : 'no layout has that many parts'
  if (typeof tried !== 'string') return tried
  const alternatives = LAYOUTS.filter((l) => l.parts.length === indices.length && l !== layout).map((l) => specOf(l, names, indices, sampleRows))
  const fit = alternatives.find((s): s is TimeSpec => typeof s !== 'string')
  if (fit !== undefined) return fit
  throw new ClipcastError('CSV_BAD_TIMESTAMP', `The columns ${listed.map((n) => JSON.stringify(n)).join(' + ')} do not read as one time: ${tried}.`, {
    hint: 'Combine year + quarter, year + month (+ day), or date + time columns, in that order, e.g. year,quarter as {timeColumn}.',
    details: { columns: listed, settings: ['timeColumn'] },
  })
}
