import type { PredictionIntervals } from '../../shared/api'
import type { ForecastBlock } from './metrics'

/**
 * Split-conformal prediction intervals (Vovk et al. 2005; Lei et al. 2018), one per horizon
 * step and target: the half-width at level α is the ⌈(n + 1)·α⌉-th smallest absolute residual
 * of the n validation windows at that step and target, so on exchangeable data a new
 * forecast's error falls inside ±half-width with probability at least α. When that rank
 * exceeds n (too few validation windows for the level) the largest residual is taken, and the
 * interval may under-cover: `coverage` on the test part says how it did.
 */

/** The split-conformal quantile of absolute residuals (any order; NaN left out); NaN when none. */
export function conformalQuantile(absoluteResiduals: ArrayLike<number>, level: number): number {
  const finite = Float64Array.from(Array.from(absoluteResiduals).filter((r) => Number.isFinite(r))).sort()
  const n = finite.length
  if (n === 0) return NaN
  const rank = Math.ceil((n + 1) * (level / 100))
  return finite[Math.min(n, Math.max(1, rank)) - 1]!
}

/** More absolute residuals to calibrate on, in original units: [windows, horizon · targets] row-major. */
export interface PooledResiduals {
  windows: number
  residuals: Float64Array
}

/**
 * Half-widths per level from validation forecasts against their actuals ([windows, horizon,
 * targets] blocks), with `pooled` residuals of the same cells added to each cell's sample.
 */
export function conformalIntervals(actual: ForecastBlock, predicted: ForecastBlock, levels: readonly number[], pooled?: PooledResiduals): PredictionIntervals {
  const { windows, horizon, targets } = actual
  const cells = horizon * targets
  const extra = pooled?.windows ?? 0
  const residuals = Array.from({ length: cells }, () => new Float64Array(windows + extra))
  for (let w = 0; w < windows; w++) {
    for (let c = 0; c < cells; c++) residuals[c]![w] = Math.abs(actual.values[w * cells + c]! - predicted.values[w * cells + c]!)
  }
  for (let w = 0; w < extra; w++) for (let c = 0; c < cells; c++) residuals[c]![windows + w] = pooled!.residuals[w * cells + c]!
  const halfWidth: PredictionIntervals['halfWidth'] = {}
  for (const level of levels) halfWidth[String(level)] = residuals.map((r) => conformalQuantile(r, level))
  return { levels: [...levels], calibrationWindows: windows + extra, halfWidth }
}

/** Running counts of test pairs inside each level's interval. */
export interface CoverageSums {
  intervals: PredictionIntervals
  inside: Record<string, number>
  pairs: number
}

export function createCoverage(intervals: PredictionIntervals): CoverageSums {
  return { intervals, inside: Object.fromEntries(intervals.levels.map((level) => [String(level), 0])), pairs: 0 }
}

/** Adds a block of test forecasts: a finite pair is inside when |actual − forecast| ≤ its half-width. */
export function addCoverage(sums: CoverageSums, actual: ForecastBlock, predicted: ForecastBlock): void {
  const cells = actual.horizon * actual.targets
  for (let i = 0; i < actual.values.length; i++) {
    const a = actual.values[i]!
    const f = predicted.values[i]!
    if (!Number.isFinite(a) || !Number.isFinite(f)) continue
    sums.pairs++
    for (const level of sums.intervals.levels) {
      const key = String(level)
      if (Math.abs(a - f) <= sums.intervals.halfWidth[key]![i % cells]!) sums.inside[key]!++
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
