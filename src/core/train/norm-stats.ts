import type { EpochRecord } from '../../shared/api'
import { percentileOfSorted } from '../stats'

/** An epoch's pre-clip gradient norms summarised: mean, median, 95th percentile (interpolated) and maximum; all 0 without norms. */
export function gradNormStats(norms: number[]): EpochRecord['gradNorm'] {
  if (norms.length === 0) return { mean: 0, p50: 0, p95: 0, max: 0 }
  const sorted = Float64Array.from(norms).sort()
  const mean = norms.reduce((a, b) => a + b, 0) / norms.length
  return { mean, p50: percentileOfSorted(sorted, 50, 'linear'), p95: percentileOfSorted(sorted, 95, 'linear'), max: sorted[sorted.length - 1]! }
}
