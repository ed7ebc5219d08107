/**
 * Min/max downsampling for charts, read block by block: the rows are cut into buckets and each
 * bucket keeps its first row and, per column, the rows of its minimum and maximum (so a spike
 * survives, unlike taking every k-th row). Only one block of one column is in memory at a time,
 * plus a few numbers per bucket, so charting a dataset of millions of rows costs a chart's worth
 * of memory, not the dataset's.
 */

export interface RowRange {
  start: number
  end: number
}

/** Reads rows [start, end) of a column; `null` names the time column. */
export type ColumnReader = (column: string | null, range: RowRange) => Float64Array

export const DEFAULT_BLOCK_ROWS = 65536

/** Row indices (relative to range.start, ascending) of at most maxPoints rows (a tiny maxPoints still gets the first, extremes and last row). */
export function pickRows(read: ColumnReader, names: readonly string[], range: RowRange, maxPoints: number, blockRows = DEFAULT_BLOCK_ROWS): number[] {
  const rows = range.end - range.start
  if (rows <= maxPoints) return Array.from({ length: rows }, (_, i) => i)
  // a bucket keeps up to its first row and two per column; one more slot is the last row
  const perBucket = 1 + 2 * names.length
  const buckets = Math.max(1, Math.floor((maxPoints - 1) / perBucket))
  const bucketStart = (b: number) => Math.floor((b * rows) / buckets)
  const width = names.length
  const minAt = new Int32Array(buckets * width).fill(-1)
  const maxAt = new Int32Array(buckets * width).fill(-1)
  const minValue = new Float64Array(buckets * width)
  const maxValue = new Float64Array(buckets * width)
  let firstBucket = 0
  for (let from = 0; from < rows; from += blockRows) {
    const to = Math.min(rows, from + blockRows)
    while (bucketStart(firstBucket + 1) <= from) firstBucket++
    names.forEach((name, c) => {
      const values = read(name, { start: range.start + from, end: range.start + to })
      let b = firstBucket
      let next = bucketStart(b + 1)
      for (let i = from; i < to; i++) {
        while (i >= next) next = bucketStart(++b + 1)
        const value = values[i - from]!
        if (value !== value) continue
        const k = b * width + c
        if (minAt[k]! < 0 || value < minValue[k]!) {
          minAt[k] = i
          minValue[k] = value
        }
        if (maxAt[k]! < 0 || value > maxValue[k]!) {
          maxAt[k] = i
          maxValue[k] = value
        }
      }
    })
  }
  const picked: number[] = []
  for (let b = 0; b < buckets; b++) {
    const chosen = new Set<number>([bucketStart(b)])
    for (let c = 0; c < width; c++) {
      if (minAt[b * width + c]! >= 0) chosen.add(minAt[b * width + c]!)
      if (maxAt[b * width + c]! >= 0) chosen.add(maxAt[b * width + c]!)
    }
    picked.push(...[...chosen].sort((x, y) => x - y))
  }
  if (picked[picked.length - 1] !== rows - 1) picked.push(rows - 1)
  return picked
}

/** The values of `column` at the picked rows, read block by block (picked ascending, relative to range.start). */
export function gatherRows(read: ColumnReader, column: string | null, range: RowRange, picked: readonly number[], blockRows = DEFAULT_BLOCK_ROWS): Float64Array {
  const out = new Float64Array(picked.length)
  let p = 0
  while (p < picked.length) {
    const from = Math.floor(picked[p]! / blockRows) * blockRows
    const to = Math.min(range.end - range.start, from + blockRows)
    const values = read(column, { start: range.start + from, end: range.start + to })
    for (; p < picked.length && picked[p]! < to; p++) out[p] = values[picked[p]! - from]!
  }
  return out
}

/** A reader over columns already in memory (tests, small arrays); column `null` is not available. */
export function memoryReader(columns: ReadonlyMap<string, ArrayLike<number>>): ColumnReader {
  return (name, { start, end }) => {
    const values = name === null ? undefined : columns.get(name)
    if (values === undefined) throw new Error(`no column ${String(name)}`)
    return Float64Array.from({ length: end - start }, (_, i) => values[start + i]!)
  }
}
