import type { Metrics } from '../../shared/api'
import { naiveForecast, seasonalNaiveForecast } from './baselines'
import { computeMetrics, naiveScale, type ForecastBlock } from './metrics'

/**
 * Scoring a trained model on the test part of its run, in original units, next to the naive
 * and seasonal-naive baselines on exactly the same windows. Actuals are the raw stored values
 * (Float64, never scaled and unscaled), predictions are unscaled with the run's own scaler.
 */
export interface TestSet {
  targets: string[]
  /** Row index of each test window's last input row (its forecast origin). */
  origins: number[]
  horizon: number
  /** [windows, horizon, targets], original units. */
  actual: ForecastBlock
  /** Each target's full column, original units (for baselines and the MASE scale). */
  series: Float64Array[]
  /** First row after the training part: the MASE scale reads rows [0, trainEndRow). */
  trainEndRow: number
}

export interface Evaluation {
  metrics: Metrics
  baselines: Record<string, Metrics>
  /** The seasonal-naive period used, null when the series has none (then no seasonalNaive baseline). */
  season: number | null
}

/** The observed values after each origin: step s of window w is row origin + 1 + s. */
export function actualBlock(series: readonly Float64Array[], origins: readonly number[], horizon: number): ForecastBlock {
  const targets = series.length
  const values = new Float64Array(origins.length * horizon * targets)
  origins.forEach((origin, w) => {
    for (let s = 0; s < horizon; s++) {
      series.forEach((column, k) => {
        values[(w * horizon + s) * targets + k] = column[origin + 1 + s] ?? NaN
      })
    }
  })
  return { values, windows: origins.length, horizon, targets }
}

/** Scores predictions and both baselines on the same windows. Pure. */
export function scoreTest(test: TestSet, predicted: ForecastBlock, season: number | null): Evaluation {
  const scales = test.series.map((column) => naiveScale(column.subarray(0, Math.min(column.length, test.trainEndRow))))
  const metrics = computeMetrics(test.actual, predicted, test.targets, scales)
  const baselines: Record<string, Metrics> = {
    naive: computeMetrics(test.actual, naiveForecast(test.series, test.origins, test.horizon), test.targets, scales),
  }
  if (season !== null) {
    baselines.seasonalNaive = computeMetrics(test.actual, seasonalNaiveForecast(test.series, test.origins, test.horizon, season), test.targets, scales)
  }
  return { metrics, baselines, season }
}
