import { DateTime, type TokenParser } from 'luxon'
import type { TimeFormat } from './timestamps'

/**
 * The time formats analysts' files hold besides ISO 8601 and epoch numbers, parsed by Luxon
 * from its format tokens. Each has a cheap shape test so a column is only handed to Luxon
 * when it could fit; `nameHint` breaks ties between formats that both fit a sample (a
 * 12-digit `199501011200` is a compact date-time in a column named `date` and epoch
 * milliseconds in one named `timestamp`).
 */
interface Candidate {
  tokens: string
  label: string
  shape: RegExp
  nameHint?: RegExp
}

const MONTH_NAME = '[A-Za-z]{3,9}\\.?'
const CANDIDATES: readonly Candidate[] = [
  { tokens: "yyyy'Q'q", label: 'year-quarter (1974Q1)', shape: /^\d{4}Q[1-4]$/i },
  { tokens: "yyyy-'Q'q", label: 'year-quarter (1974-Q1)', shape: /^\d{4}-Q[1-4]$/i },
  { tokens: "yyyy 'Q'q", label: 'year-quarter (1974 Q1)', shape: /^\d{4} Q[1-4]$/i },
  { tokens: "'Q'q yyyy", label: 'quarter-year (Q1 1974)', shape: /^Q[1-4] \d{4}$/i },
  { tokens: 'yyyy-MM', label: 'year-month (2020-01)', shape: /^\d{4}-\d{2}$/ },
  { tokens: 'yyyyMM', label: 'year-month (202001)', shape: /^\d{6}$/, nameHint: /date|month|period|^ds$/i },
  { tokens: 'MMM yyyy', label: 'month-year (Jan 2020)', shape: new RegExp(`^${MONTH_NAME} \\d{4}$`) },
  { tokens: 'MMMM yyyy', label: 'month-year (January 2020)', shape: new RegExp(`^${MONTH_NAME} \\d{4}$`) },
  { tokens: 'MMM-yyyy', label: 'month-year (Jan-2020)', shape: new RegExp(`^${MONTH_NAME}-\\d{4}$`) },
  { tokens: 'MMM-d-yyyy', label: 'month-day-year (Jan-1-1995)', shape: new RegExp(`^${MONTH_NAME}-\\d{1,2}-\\d{4}$`) },
  { tokens: 'MMM d yyyy', label: 'month-day-year (Jan 1 2000)', shape: new RegExp(`^${MONTH_NAME} \\d{1,2} \\d{4}$`) },
  { tokens: 'MMM d, yyyy', label: 'month-day-year (Jan 1, 2000)', shape: new RegExp(`^${MONTH_NAME} \\d{1,2}, \\d{4}$`) },
  { tokens: 'MMMM d, yyyy', label: 'month-day-year (January 1, 2000)', shape: new RegExp(`^${MONTH_NAME} \\d{1,2}, \\d{4}$`) },
  { tokens: 'MMMM d yyyy', label: 'month-day-year (January 1 2000)', shape: new RegExp(`^${MONTH_NAME} \\d{1,2} \\d{4}$`) },
  { tokens: 'd MMM yyyy', label: 'day-month-year (1 Jan 2020)', shape: new RegExp(`^\\d{1,2} ${MONTH_NAME} \\d{4}$`) },
  { tokens: 'd MMMM yyyy', label: 'day-month-year (1 January 2020)', shape: new RegExp(`^\\d{1,2} ${MONTH_NAME} \\d{4}$`) },
  { tokens: 'd-MMM-yyyy', label: 'day-month-year (1-Jan-2020)', shape: new RegExp(`^\\d{1,2}-${MONTH_NAME}-\\d{4}$`) },
  { tokens: 'yyyyMMdd', label: 'compact date (19580329)', shape: /^\d{8}$/ },
  { tokens: 'yyyyMMddHHmm', label: 'compact date-time (199501011200)', shape: /^\d{12}$/, nameHint: /date|day|^ds$/i },
]

/** The Luxon tokens detection knows, for a chooser. */
export const KNOWN_TOKENS: readonly string[] = CANDIDATES.map((c) => c.tokens)

const EPOCH_NAME = /epoch|unix|stamp|^ts$/i
/** Digits alone are a time only in a column whose name says so, or that the user named. */
const TIME_NAME = /time|date|year|^yr$|month|period|week|day|stamp|quarter|^ds$|^t$/i
const DIGITS_ONLY = /^\d+$/
const YEAR_NAME = /year|^yr$/i

/** A Luxon parser of `tokens` into UTC epoch ms (the wall clock read as UTC), NaN when a cell does not fit. */
export function luxonParser(tokens: string): (cell: string) => number {
  let parser: TokenParser
  const options = { zone: 'utc', locale: 'en-US' }
  try {
    parser = DateTime.buildFormatParser(tokens, options)
  } catch {
    return () => NaN
  }
  return (cell) => {
    const date = DateTime.fromFormatParser(cell, parser, options)
    return date.isValid ? date.toMillis() : NaN
  }
}

/** An integer year 1000–2999 → 1 January of it, UTC; else NaN. */
export function parseYear(cell: string): number {
  if (cell.length !== 4) return NaN
  const year = Number(cell)
  if (!Number.isInteger(year) || year < 1000) return NaN
  return Date.UTC(year, 0, 1)
}

/**
 * Integer years whose distinct values step by one somewhere (gaps allowed; repeats too, as
 * in a long file with one row per series and year). A lone year needs a column named so.
 */
function looksLikeYears(name: string, cells: readonly string[]): boolean {
  if (!cells.every((c) => !Number.isNaN(parseYear(c)))) return false
  const distinct = [...new Set(cells.map(Number))].sort((a, b) => a - b)
  if (distinct.length === 1) return YEAR_NAME.test(name)
  return distinct.some((year, i) => i > 0 && year - distinct[i - 1]! === 1)
}

export const YEAR_FORMAT: TimeFormat = { kind: 'year', label: 'integer year (1974)', tokens: 'yyyy' }
export const EPOCH_FORMAT: TimeFormat = { kind: 'epoch', label: 'epoch seconds or milliseconds' }

/** The Luxon-token format of `tokens` as a TimeFormat. */
export function luxonFormat(tokens: string, label = tokens): TimeFormat {
  return { kind: 'luxon', tokens, label }
}

/**
 * Every format that reads all of a sample's non-blank cells (ISO and day/month dates are
 * decided before this is asked), the column name narrowing a tie; an empty list when none fits.
 */
export function fittingFormats(name: string, present: readonly string[], named = false): TimeFormat[] {
  const fits: Array<{ format: TimeFormat; hinted: boolean }> = []
  if (!named && !TIME_NAME.test(name) && present.every((c) => DIGITS_ONLY.test(c))) return []
  if (looksLikeYears(name, present)) fits.push({ format: YEAR_FORMAT, hinted: YEAR_NAME.test(name) })
  const fitted = new Set<string>()
  for (const candidate of CANDIDATES) {
    if (!present.every((c) => candidate.shape.test(c))) continue
    const parse = luxonParser(candidate.tokens)
    if (!present.every((c) => !Number.isNaN(parse(c)))) continue
    // a sample of May alone fits both the short and the full month name: they read alike, keep the short
    if (fitted.has(candidate.tokens.replace('MMMM', 'MMM'))) continue
    fitted.add(candidate.tokens)
    fits.push({ format: luxonFormat(candidate.tokens, candidate.label), hinted: candidate.nameHint?.test(name) ?? false })
  }
  if (present.every((c) => /^[+-]?\d+(\.\d+)?$/.test(c) && Math.abs(Number(c)) >= 1e8) && (EPOCH_NAME.test(name) || /time/i.test(name))) {
    fits.push({ format: EPOCH_FORMAT, hinted: EPOCH_NAME.test(name) })
  }
  if (fits.length <= 1) return fits.map((f) => f.format)
  const hinted = fits.filter((f) => f.hinted)
  return (hinted.length === 1 ? hinted : fits).map((f) => f.format)
}
