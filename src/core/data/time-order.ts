/**
 * Puts rows in time order and drops repeated timestamps. Duplicates keep the FIRST row in
 * file order (the stable sort keeps equal times in file order): a later row with the same
 * time is usually a re-appended copy, and keeping one row per time keeps the grid a grid.
 */
export interface TimeOrder {
  /** Row indices (into the rows as read) in output order; undefined when the rows are already in order and distinct. */
  take: Uint32Array | undefined
  unsorted: number
  duplicates: number
  /** The first repeated time and the file rows (0-based data rows) involved. */
  firstDuplicate?: { time: number; row: number }
}

export function orderByTime(times: Float64Array): TimeOrder {
  const n = times.length
  let unsorted = 0
  let repeats = 0
  for (let i = 1; i < n; i++) {
    if (times[i]! < times[i - 1]!) unsorted++
    else if (times[i] === times[i - 1]) repeats++
  }
  if (unsorted === 0 && repeats === 0) return { take: undefined, unsorted: 0, duplicates: 0 }
  let order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  if (unsorted > 0) order.sort((a, b) => times[a]! - times[b]! || a - b)
  let kept = 0
  let duplicates = 0
  let firstDuplicate: TimeOrder['firstDuplicate']
  for (let i = 0; i < n; i++) {
    const row = order[i]!
    if (kept > 0 && times[row] === times[order[kept - 1]!]) {
      duplicates++
      firstDuplicate ??= { time: times[row]!, row }
      continue
    }
    order[kept++] = row
  }
  if (kept < n) order = order.slice(0, kept)
  return { take: order, unsorted, duplicates, ...(firstDuplicate ? { firstDuplicate } : {}) }
}

/** The values of `take` rows, in that order. */
export function gather(values: Float64Array, take: Uint32Array): Float64Array {
  const out = new Float64Array(take.length)
  for (let i = 0; i < take.length; i++) out[i] = values[take[i]!]!
  return out
}
