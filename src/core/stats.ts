/**
 * The one quantile of sorted values, with numpy.percentile's method names, so each caller
 * says which convention it needs:
 * - `linear` (numpy's default): position (n − 1)·p/100, interpolated between its neighbours.
 *   For summaries of a spread (gradient norms, AutoClip's threshold), where a value between
 *   two samples is as good as either.
 * - `lower` / `higher`: the sample at floor / ceil of that position, always one of the values.
 *   For a step of a time grid, where a step between two real steps would divide neither.
 */
export type QuantileMethod = 'linear' | 'lower' | 'higher'

/** The p-th percentile (0 ≤ p ≤ 100) of ascending values; NaN when there are none. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number, method: QuantileMethod): number {
  const n = sorted.length
  if (n === 0) return NaN
  // (n − 1)·p is exact for whole p, so the position is the correctly rounded quotient
  const at = ((n - 1) * p) / 100
  const lo = Math.floor(at)
  const hi = Math.min(n - 1, Math.ceil(at))
  if (method === 'lower') return sorted[lo]!
  if (method === 'higher') return sorted[hi]!
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}
