import type { Metrics } from '../../shared/api'

/**
 * Forecast-accuracy metrics in original units over a block of multi-step forecasts.
 *
 * A block holds, for `windows` forecast origins, `horizon` steps of `targets` variables,
 * row-major: index = (window · horizon + step) · targets + target.
 *
 * Choices pinned here (and by test/unit/core/eval/metrics.test.ts):
 * - A pair whose actual or forecast is not finite (a missing value) is left out of every
 *   metric; the count of pairs used is what the means divide by.
 * - sMAPE = mean of 200·|a−f| / (|a|+|f|), in percent (0…200), with 0/0 := 0: a forecast of
 *   exactly 0 for an actual of exactly 0 is a perfect forecast, not an undefined one.
 * - MASE (Hyndman & Koehler 2006) divides each target's MAE by that target's in-sample
 *   one-step naive MAE on the training part; the overall MASE is the mean of the per-target
 *   MASEs. A target whose training part is constant (naive MAE 0) or too short has no MASE
 *   (null) and is left out of the overall mean; when no target has one, the overall is null.
 * - Metrics with no usable pair are NaN (null in JSON).
 */
export interface ForecastBlock {
  /** [windows, horizon, targets], row-major, original units; NaN = missing. */
  values: Float64Array
  windows: number
  horizon: number
  targets: number
}

export interface TargetMetrics {
  mae: number
  rmse: number
  smape: number
  mase: number | null
}

export function blockIndex(block: Pick<ForecastBlock, 'horizon' | 'targets'>, window: number, step: number, target: number): number {
  return (window * block.horizon + step) * block.targets + target
}

/** Mean absolute error over the finite pairs; NaN when there are none. */
export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0
  let n = 0
  forEachPair(actual, forecast, (a, f) => {
    sum += Math.abs(a - f)
    n++
  })
  return n === 0 ? NaN : sum / n
}

/** Root mean squared error over the finite pairs; NaN when there are none. */
export function rmse(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0
  let n = 0
  forEachPair(actual, forecast, (a, f) => {
    sum += (a - f) * (a - f)
    n++
  })
  return n === 0 ? NaN : Math.sqrt(sum / n)
}

/** Symmetric MAPE in percent: mean of 200·|a−f|/(|a|+|f|), 0/0 := 0; NaN when no pair. */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  let sum = 0
  let n = 0
  forEachPair(actual, forecast, (a, f) => {
    sum += smapeTerm(a, f)
    n++
  })
  return n === 0 ? NaN : sum / n
}

function smapeTerm(a: number, f: number): number {
  const denominator = Math.abs(a) + Math.abs(f)
  return denominator === 0 ? 0 : (200 * Math.abs(a - f)) / denominator
}

/**
 * In-sample MAE of the one-step naive forecast (y_t predicted by y_{t-1}) over a training
 * series, the MASE denominator of Hyndman & Koehler (2006). Steps next to a missing value
 * are skipped. null when the series is constant (scale 0) or has no consecutive pair.
 */
export function naiveScale(training: ArrayLike<number>): number | null {
  let sum = 0
  let n = 0
  for (let t = 1; t < training.length; t++) {
    const previous = training[t - 1]!
    const current = training[t]!
    if (!Number.isFinite(previous) || !Number.isFinite(current)) continue
    sum += Math.abs(current - previous)
    n++
  }
  if (n === 0 || sum === 0) return null
  return sum / n
}

/** MASE given the forecast MAE and the naive scale; null when the scale is undefined. */
export function mase(forecastMae: number, scale: number | null): number | null {
  if (scale === null || !(scale > 0) || !Number.isFinite(forecastMae)) return null
  return forecastMae / scale
}

/**
 * All metrics of a forecast block against the actuals: overall, per horizon step (1…H) and
 * per target. `scales[k]` is target k's naive in-sample MAE on the training part (naiveScale).
 */
export function computeMetrics(actual: ForecastBlock, forecast: ForecastBlock, targetNames: readonly string[], scales: ReadonlyArray<number | null>): Metrics {
  const sums = createMetricSums(actual.horizon, actual.targets)
  accumulate(sums, actual, forecast)
  return finishMetrics(sums, targetNames, scales)
}

/** Running sums over the finite pairs of one group: all pairs, one horizon step or one target. */
export interface PairSums {
  absolute: number
  squared: number
  smape: number
  count: number
}

/**
 * The sums behind computeMetrics, filled one block of windows at a time, so that a test split
 * is scored without holding all its forecasts at once. When the blocks arrive in window order,
 * every group adds its terms in the same order as mae/rmse/smape over the whole block, so
 * finishMetrics gives the same numbers to the last bit.
 */
export interface MetricSums {
  horizon: number
  targets: number
  overall: PairSums
  /** [horizon] */
  perHorizon: PairSums[]
  /** [targets] */
  perTarget: PairSums[]
}

export function createMetricSums(horizon: number, targets: number): MetricSums {
  const empty = (): PairSums => ({ absolute: 0, squared: 0, smape: 0, count: 0 })
  return { horizon, targets, overall: empty(), perHorizon: Array.from({ length: horizon }, empty), perTarget: Array.from({ length: targets }, empty) }
}

/** Adds one block of windows' finite pairs to the sums. */
export function accumulate(sums: MetricSums, actual: ForecastBlock, forecast: ForecastBlock): void {
  assertSameShape(actual, forecast)
  if (actual.horizon !== sums.horizon || actual.targets !== sums.targets) {
    throw new RangeError(`accumulate: block of [${actual.horizon}, ${actual.targets}] per window, sums of [${sums.horizon}, ${sums.targets}]`)
  }
  for (let w = 0; w < actual.windows; w++) {
    for (let s = 0; s < actual.horizon; s++) {
      for (let k = 0; k < actual.targets; k++) {
        const i = blockIndex(actual, w, s, k)
        const a = actual.values[i]!
        const f = forecast.values[i]!
        if (!Number.isFinite(a) || !Number.isFinite(f)) continue
        addPair(sums.overall, a, f)
        addPair(sums.perHorizon[s]!, a, f)
        addPair(sums.perTarget[k]!, a, f)
      }
    }
  }
}

/** The metrics of everything accumulated; `scales` as for computeMetrics. */
export function finishMetrics(sums: MetricSums, targetNames: readonly string[], scales: ReadonlyArray<number | null>): Metrics {
  if (targetNames.length !== sums.targets || scales.length !== sums.targets) {
    throw new RangeError(`computeMetrics: ${sums.targets} targets but ${targetNames.length} names and ${scales.length} scales`)
  }
  const perTarget: Metrics['perTarget'] = {}
  const targetMases: number[] = []
  sums.perTarget.forEach((group, k) => {
    const targetMae = meanOf(group.absolute, group)
    const targetMase = mase(targetMae, scales[k] ?? null)
    if (targetMase !== null) targetMases.push(targetMase)
    perTarget[targetNames[k]!] = { mae: targetMae, rmse: Math.sqrt(meanOf(group.squared, group)), smape: meanOf(group.smape, group), mase: targetMase }
  })
  const perHorizon = sums.perHorizon.map((group, s) => ({ step: s + 1, mae: meanOf(group.absolute, group), rmse: Math.sqrt(meanOf(group.squared, group)) }))
  const { overall } = sums
  return {
    mae: meanOf(overall.absolute, overall),
    rmse: Math.sqrt(meanOf(overall.squared, overall)),
    smape: meanOf(overall.smape, overall),
    mase: targetMases.length === 0 ? null : targetMases.reduce((x, y) => x + y, 0) / targetMases.length,
    perHorizon,
    perTarget,
  }
}

// the same terms, in the same arithmetic, as mae, rmse and smape
function addPair(group: PairSums, a: number, f: number): void {
  group.absolute += Math.abs(a - f)
  group.squared += (a - f) * (a - f)
  group.smape += smapeTerm(a, f)
  group.count++
}

function meanOf(sum: number, group: PairSums): number {
  return group.count === 0 ? NaN : sum / group.count
}

function forEachPair(actual: ArrayLike<number>, forecast: ArrayLike<number>, fn: (a: number, f: number) => void): void {
  if (actual.length !== forecast.length) throw new RangeError(`metric: ${actual.length} actuals but ${forecast.length} forecasts`)
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!
    const f = forecast[i]!
    if (Number.isFinite(a) && Number.isFinite(f)) fn(a, f)
  }
}

function assertSameShape(a: ForecastBlock, b: ForecastBlock): void {
  if (a.windows !== b.windows || a.horizon !== b.horizon || a.targets !== b.targets || a.values.length !== b.values.length) {
    throw new RangeError(`computeMetrics: shapes differ ([${a.windows}, ${a.horizon}, ${a.targets}] vs [${b.windows}, ${b.horizon}, ${b.targets}])`)
  }
  if (a.values.length !== a.windows * a.horizon * a.targets) throw new RangeError('computeMetrics: values length does not match the shape')
}
