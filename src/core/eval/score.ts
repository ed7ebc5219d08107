import type { Metrics } from '../../shared/api'
import { driftForecast, naiveForecast, seasonalNaiveForecast } from './baselines'
import { accumulate, createMetricSums, finishMetrics, naiveScale, type ForecastBlock, type MetricSums } from './metrics'

/**
 * Scoring a trained model on the test part of its run, in original units, next to the naive
 * and seasonal-naive baselines on exactly the same windows. Actuals are the raw stored values
 * (Float64, never scaled and unscaled), predictions are unscaled with the run's own scaler.
 * The scoring streams: each batch of windows brings its predictions, its actuals and the
 * baselines' forecasts are cut for that batch only, and only metric sums are kept (scoreBatch).
 */
export interface TestSeries {
  targets: string[]
  horizon: number
  /** Each target's full column, original units (actuals, baselines and the MASE scale). */
  series: Float64Array[]
  /** First row after the training part: the MASE scale reads rows [0, trainEndRow). */
  trainEndRow: number
  /** The window length the drift baseline measures its mean step over. */
  lookback: number
}

/** A test split held whole (the test CSV export and one-shot scoring). */
export interface TestSet extends TestSeries {
  /** Row index of each test window's last input row (its forecast origin). */
  origins: number[]
  /** [windows, horizon, targets], original units. */
  actual: ForecastBlock
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

/** The running scores of a model and its baselines on one test split, fed by scoreBatch. */
export interface TestScorer {
  test: TestSeries
  season: number | null
  /** Each target's MASE scale (naiveScale of its training rows). */
  scales: Array<number | null>
  model: MetricSums
  /** naive, seasonalNaive when there is a season, drift, and whatever scoreBatch's `fitted` brings (linear). */
  baselines: Record<string, MetricSums>
}

export function createTestScorer(test: TestSeries, season: number | null): TestScorer {
  const sums = (): MetricSums => createMetricSums(test.horizon, test.targets.length)
  return {
    test,
    season,
    scales: test.series.map((column) => naiveScale(column.subarray(0, Math.min(column.length, test.trainEndRow)))),
    model: sums(),
    baselines: season === null ? { naive: sums(), drift: sums() } : { naive: sums(), seasonalNaive: sums(), drift: sums() },
  }
}

/**
 * Adds one batch of test windows, given by their origins, with the model's predictions for
 * them ([windows, horizon, targets]) and those of fitted baselines (`fitted`, by name, e.g.
 * the linear one). Batches must come in window order (MetricSums).
 */
export function scoreBatch(scorer: TestScorer, origins: readonly number[], predicted: ForecastBlock, fitted: Record<string, ForecastBlock> = {}, actual = actualBlock(scorer.test.series, origins, scorer.test.horizon)): void {
  const { series, horizon } = scorer.test
  accumulate(scorer.model, actual, predicted)
  accumulate(scorer.baselines.naive!, actual, naiveForecast(series, origins, horizon))
  if (scorer.season !== null) accumulate(scorer.baselines.seasonalNaive!, actual, seasonalNaiveForecast(series, origins, horizon, scorer.season))
  accumulate(scorer.baselines.drift!, actual, driftForecast(series, origins, horizon, scorer.test.lookback))
  for (const [name, block] of Object.entries(fitted)) {
    scorer.baselines[name] ??= createMetricSums(horizon, scorer.test.targets.length)
    accumulate(scorer.baselines[name], actual, block)
  }
}

export function finishScore(scorer: TestScorer): Evaluation {
  const finish = (sums: MetricSums): Metrics => finishMetrics(sums, scorer.test.targets, scorer.scales)
  return {
    metrics: finish(scorer.model),
    baselines: Object.fromEntries(Object.entries(scorer.baselines).map(([name, sums]) => [name, finish(sums)])),
    season: scorer.season,
  }
}

/** Scores predictions for all the given windows and the baselines in one batch. Pure. */
export function scoreTest(test: TestSeries & { origins: readonly number[] }, predicted: ForecastBlock, season: number | null, fitted: Record<string, ForecastBlock> = {}): Evaluation {
  const scorer = createTestScorer(test, season)
  scoreBatch(scorer, test.origins, predicted, fitted)
  return finishScore(scorer)
}
