import { GrowableFloat64 } from './growable'

/** Distinct texts of one column while streaming, as small integer codes in first-seen order. */
export class TextCodes {
  readonly codes: GrowableFloat64
  readonly texts: string[] = []
  private readonly index = new Map<string, number>()
  /** Set when the column holds more distinct texts than a series column could: its codes stop being kept. */
  overflowed = false

  constructor(
    capacity: number,
    private readonly maxDistinct = 10_000,
  ) {
    this.codes = new GrowableFloat64(capacity)
  }

  add(cell: string): void {
    if (this.overflowed) return
    let code = this.index.get(cell)
    if (code === undefined) {
      if (this.texts.length >= this.maxDistinct) {
        this.overflowed = true
        this.codes.release()
        return
      }
      code = this.texts.length
      this.texts.push(cell)
      this.index.set(cell, code)
    }
    this.codes.push(code)
  }
}

/** Row indices ordered by time, then by code (stable). */
function orderByTimeAndCode(times: Float64Array, codes: Float64Array): Uint32Array {
  const order = new Uint32Array(times.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  return order.sort((a, b) => times[a]! - times[b]! || codes[a]! - codes[b]! || a - b)
}

/**
 * Whether a text column splits every repeated timestamp into distinct values: then the rows
 * are one series per value (a long-format file), not copies of one another.
 */
export function splitsDuplicates(times: Float64Array, codes: TextCodes): boolean {
  if (codes.overflowed || codes.texts.length < 2) return false
  const c = codes.codes.view()
  const order = orderByTimeAndCode(times, c)
  for (let i = 1; i < order.length; i++) {
    const a = order[i - 1]!
    const b = order[i]!
    if (times[a] === times[b] && c[a] === c[b]) return false
  }
  return true
}

export interface PivotedColumns {
  times: Float64Array
  columns: Array<{ name: string; values: Float64Array }>
  /** Rows that repeat a series' time (the first is kept). */
  duplicates: number
}

/**
 * One row per series and time → one column per series (`<id>` with one value column,
 * `<id>_<value>` with several), over the union of all series' times; a series without a row
 * at a time has a missing (NaN) cell there.
 */
export function pivotLong(times: Float64Array, series: TextCodes, valueColumns: Array<{ name: string; values: Float64Array }>): PivotedColumns {
  const codes = series.codes.view()
  const order = orderByTimeAndCode(times, codes)
  const slot = new Uint32Array(times.length)
  const union = new GrowableFloat64(1024)
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!
    if (union.length === 0 || union.view()[union.length - 1] !== times[row]) union.push(times[row]!)
    slot[row] = union.length - 1
  }
  const n = union.length
  const seriesCount = series.texts.length
  const columns = series.texts.flatMap((id) => valueColumns.map((v) => ({ name: valueColumns.length === 1 ? id : `${id}_${v.name}`, values: new Float64Array(n).fill(NaN) })))
  const filled = new Uint8Array(n * seriesCount)
  let duplicates = 0
  for (let row = 0; row < times.length; row++) {
    const code = codes[row]!
    const cell = slot[row]! * seriesCount + code
    if (filled[cell] === 1) {
      duplicates++
      continue
    }
    filled[cell] = 1
    for (let v = 0; v < valueColumns.length; v++) columns[code * valueColumns.length + v]!.values[slot[row]!] = valueColumns[v]!.values[row]!
  }
  return { times: Float64Array.from(union.view()), columns, duplicates }
}
