import type { EpochRecord } from '../../shared/api'

/** The q-quantile of ascending values, interpolated linearly between the two nearest ranks; 0 when empty. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}

/** An epoch's pre-clip gradient norms summarised: mean, median, 95th percentile and maximum. */
export function gradNormStats(norms: number[]): EpochRecord['gradNorm'] {
  const sorted = Float64Array.from(norms).sort()
  const mean = norms.length ? norms.reduce((a, b) => a + b, 0) / norms.length : 0
  return { mean, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.length ? sorted[sorted.length - 1]! : 0 }
}
