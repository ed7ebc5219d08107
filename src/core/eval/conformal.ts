import type { ForecastBlock } from './metrics'

/**
 * Split-conformal prediction intervals (Vovk et al. 2005; Lei et al. 2018), one per horizon
 * step and target: the half-width at level α is the ⌈(n + 1)·α⌉-th smallest of the n absolute
 * residuals calibrated on at that step and target, so on exchangeable data a new forecast's
 * error falls inside ±half-width with probability at least α. When that rank exceeds n (too
 * few residuals for the level) the largest is taken, and the interval may under-cover:
 * `coverage` on the test part says how it did. Which residuals: calibrate.ts.
 */

/** The split-conformal quantile of absolute residuals (any order; NaN left out); NaN when none. */
export function conformalQuantile(absoluteResiduals: ArrayLike<number>, level: number): number {
  const finite = Float64Array.from(Array.from(absoluteResiduals).filter((r) => Number.isFinite(r))).sort()
  const n = finite.length
  if (n === 0) return NaN
  return finite[conformalRank(n, level) - 1]!
}

/** The 1-based rank of the split-conformal quantile among n > 0 sorted residuals: ⌈(n + 1)·α⌉, clamped into 1…n. */
export function conformalRank(n: number, level: number): number {
  return Math.min(n, Math.max(1, Math.ceil((n + 1) * (level / 100))))
}

/** Running counts of test pairs inside each level's interval. */
export interface CoverageSums {
  levels: number[]
  inside: Record<string, number>
  pairs: number
}

export function createCoverage(levels: readonly number[]): CoverageSums {
  return { levels: [...levels], inside: Object.fromEntries(levels.map((level) => [String(level), 0])), pairs: 0 }
}

/**
 * Adds a block of test forecasts with their half-widths (by level, aligned with the block's
 * values): a finite pair is inside when |actual − forecast| ≤ its half-width.
 */
export function addCoverage(sums: CoverageSums, actual: ForecastBlock, predicted: ForecastBlock, halfWidth: Record<string, ArrayLike<number>>): void {
  for (let i = 0; i < actual.values.length; i++) {
    const a = actual.values[i]!
    const f = predicted.values[i]!
    if (!Number.isFinite(a) || !Number.isFinite(f)) continue
    sums.pairs++
    for (const level of sums.levels) {
      const key = String(level)
      if (Math.abs(a - f) <= halfWidth[key]![i]!) sums.inside[key]!++
    }
  }
}

/** The fraction of test pairs inside each level's interval, by level ("80": 0.79). */
export function finishCoverage(sums: CoverageSums): Record<string, number> {
  return Object.fromEntries(Object.entries(sums.inside).map(([level, inside]) => [level, sums.pairs === 0 ? NaN : inside / sums.pairs]))
}

/** Lower and upper bounds of a forecast ([horizon, targets] row-major values) at one level. */
export function intervalBounds(values: ArrayLike<number>, halfWidth: readonly number[]): { lower: Float64Array; upper: Float64Array } {
  const lower = new Float64Array(values.length)
  const upper = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    lower[i] = values[i]! - halfWidth[i]!
    upper[i] = values[i]! + halfWidth[i]!
  }
  return { lower, upper }
}
