import { ClipcastError } from '../../shared/errors'
import { monthNumber } from './time-composite'

/** A table of years by twelve month columns (`Year,Jan,…,Dec`), as climate agencies publish them. */
export interface YearByMonth {
  yearIndex: number
  /** Column index of January … December. */
  monthIndices: number[]
  /** Columns left out of the series (an annual total, a station id). */
  ignored: string[]
}

const YEAR_NAME = /^(year|yr|yyyy)$/i

/** The layout when the header has a year column and one column for each month in calendar order; else undefined. */
export function detectYearByMonth(names: readonly string[]): YearByMonth | undefined {
  const yearIndex = names.findIndex((n) => YEAR_NAME.test(n.trim()))
  const monthIndices: number[] = []
  names.forEach((name, i) => {
    const month = /^[A-Za-z]{3,9}$/.test(name.trim()) ? monthNumber(name.trim()) : NaN
    if (month === monthIndices.length + 1) monthIndices.push(i)
  })
  if (yearIndex < 0 || monthIndices.length !== 12) return undefined
  const used = new Set([yearIndex, ...monthIndices])
  return { yearIndex, monthIndices, ignored: names.filter((_, i) => !used.has(i)) }
}

/** --reshape year-by-month on a header that is not such a table. */
export function requireYearByMonth(names: readonly string[]): YearByMonth {
  const layout = detectYearByMonth(names)
  if (layout !== undefined) return layout
  throw new ClipcastError('CSV_BAD_RESHAPE', `The header ${names.map((n) => JSON.stringify(n)).join(', ')} is not a table of years by month: it needs a year column and twelve month columns (Jan … Dec).`, {
    hint: 'Name the columns Year, Jan, Feb, … Dec (or full month names), or import without {reshape}.',
    details: { columns: [...names], settings: ['reshape'] },
  })
}
