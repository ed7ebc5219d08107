import { GrowableFloat64 } from './growable'

/** Cells read as missing (case-insensitive, surrounding spaces ignored); never as 0. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'na', 'n/a', '#n/a', '-', 'nan', 'null'])
const INFINITE_TOKENS: ReadonlySet<string> = new Set(['inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity'])
/** With a decimal comma: optional thousands dots, one comma, optional exponent. */
const COMMA_NUMBER = /^\s*[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?([eE][+-]?\d+)?\s*$/

const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * The common cell `-123.4567` without the general string-to-number machinery: with at most
 * 15 significant digits the digits form an exact integer and 10^k is exact, so one IEEE
 * division is correctly rounded — the same double Number() gives. Anything else (exponents,
 * spaces, tokens, long mantissas) returns NaN and takes the general path.
 */
export function parsePlainDecimal(cell: string, decimalCode: number): number {
  const n = cell.length
  let i = 0
  let c = cell.charCodeAt(0)
  const negative = c === 45
  if (negative || c === 43) i = 1
  let mantissa = 0
  let digits = 0
  let fraction = -1
  for (; i < n; i++) {
    c = cell.charCodeAt(i)
    const d = c - 48
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d
      digits++
      if (fraction >= 0) fraction++
    } else if (c === decimalCode && fraction < 0) fraction = 0
    else return NaN
  }
  if (digits === 0 || digits > 15) return NaN
  const value = fraction > 0 ? mantissa / POWERS_OF_TEN[fraction]! : mantissa
  return negative ? -value : value
}

export interface CellPlace {
  line: number
  value: string
}

/**
 * One CSV column read as numbers while streaming: values (NaN = missing), how many cells
 * were missing, and how many and where cells were not numbers or not finite. Whether the
 * column is numeric or text is decided after the last row.
 */
export class NumericColumnBuilder {
  readonly values: GrowableFloat64
  missing = 0
  numbers = 0
  notNumbers = 0
  nonFinite = 0
  firstNotNumber: CellPlace | undefined
  firstNonFinite: CellPlace | undefined

  private readonly decimalCode: number

  constructor(
    private readonly decimalComma: boolean,
    capacity?: number,
  ) {
    this.values = new GrowableFloat64(capacity)
    this.decimalCode = decimalComma ? 44 : 46
  }

  add(cell: string, line: number): void {
    const plain = parsePlainDecimal(cell, this.decimalCode)
    if (plain === plain) {
      this.numbers++
      this.values.push(plain)
      return
    }
    if (cell.length === 0) {
      this.missing++
      this.values.push(NaN)
      return
    }
    let value: number
    if (this.decimalComma && (cell.includes(',') || cell.includes('.'))) {
      value = COMMA_NUMBER.test(cell) ? Number(cell.replace(/\./g, '').replace(',', '.')) : NaN
    } else {
      value = +cell
    }
    if (value === value) {
      // Number() accepts hex/binary/octal literals and reads blank text as 0: neither is a CSV number
      const c1 = cell.charCodeAt(1)
      if ((value !== 0 || /\d/.test(cell)) && !(cell.charCodeAt(0) === 48 && (c1 | 32) >= 97 && (c1 | 32) <= 122 && c1 !== 69 && c1 !== 101)) {
        if (value === Infinity || value === -Infinity) this.addNonFinite(cell, line)
        else {
          this.numbers++
          this.values.push(value)
        }
        return
      }
    }
    const token = cell.trim().toLowerCase()
    if (MISSING_TOKENS.has(token)) {
      this.missing++
      this.values.push(NaN)
    } else if (INFINITE_TOKENS.has(token)) {
      this.addNonFinite(cell, line)
    } else {
      this.notNumbers++
      this.firstNotNumber ??= { line, value: cell }
      this.values.push(NaN)
    }
  }

  private addNonFinite(cell: string, line: number): void {
    this.nonFinite++
    this.firstNonFinite ??= { line, value: cell }
    this.values.push(NaN)
  }

  /** A column is text when most of its non-missing cells are not numbers. */
  isText(): boolean {
    return this.notNumbers > this.numbers + this.nonFinite
  }
}

export interface ColumnStats {
  min: number
  max: number
  mean: number
  std: number
}

/** min, max, mean and population standard deviation (Welford) over the non-missing values; undefined when all are missing. */
export function columnStats(values: Float64Array): ColumnStats | undefined {
  let count = 0
  let mean = 0
  let m2 = 0
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v !== v) continue
    count++
    const delta = v - mean
    mean += delta / count
    m2 += delta * (v - mean)
    if (v < min) min = v
    if (v > max) max = v
  }
  if (count === 0) return undefined
  return { min, max, mean, std: Math.sqrt(m2 / count) }
}
