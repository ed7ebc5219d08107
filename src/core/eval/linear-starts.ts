import type { LinearBaseline } from './linear-baseline'
import { predictRidge, type RidgeModel } from './ridge'
import { batchArrays, type ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'

/**
 * The baselines a highway can start from. In any window frame the naive, seasonal-naive and
 * drift forecasts are linear maps of the window (each target's own lags), as is the ridge:
 * each is a kernel over the window's features [lookback · variables] and a bias per output
 * [horizon · targets], all in the model's units.
 */
export interface LinearStart {
  name: 'linear' | 'naive' | 'seasonalNaive' | 'drift' | 'combination'
  /** [lookback · variables, horizon · targets], row-major, features in window order (step, variable). */
  weights: Float64Array
  /** [horizon · targets] */
  intercept: Float64Array
  /** A combination's parts (meanStart), in order of simplicity. */
  members?: Array<LinearStart['name']>
}

type StartData = Pick<TrainingData, 'lookback' | 'horizon' | 'targets' | 'targetColumns' | 'frame' | 'split'>

/** The naive, seasonal-naive (when `season` fits in the lookback) and drift maps, and the ridge when given. */
export function linearStarts(data: StartData, variables: number, season: number | null, ridge: LinearBaseline | null): LinearStart[] {
  const { lookback, horizon, targetColumns } = data
  const targets = targetColumns.length
  const outputs = horizon * targets
  const empty = (): LinearStart['weights'] => new Float64Array(lookback * variables * outputs)
  // weight of window step t of target k's column on horizon step h of target k
  const put = (weights: Float64Array, t: number, k: number, h: number, value: number) => {
    weights[(t * variables + targetColumns[k]!) * outputs + h * targets + k]! += value
  }
  const last = lookback - 1
  const naive = empty()
  const drift = empty()
  const seasonal = season !== null && season <= lookback ? empty() : null
  for (let k = 0; k < targets; k++) {
    for (let h = 0; h < horizon; h++) {
      put(naive, last, k, h, 1)
      // last value plus (h + 1) mean steps of the window: (x_last − x_first) / (lookback − 1)
      const slope = lookback > 1 ? (h + 1) / (lookback - 1) : 0
      put(drift, last, k, h, 1 + slope)
      put(drift, 0, k, h, -slope)
      if (seasonal) put(seasonal, last + (h + 1) - season! * Math.ceil((h + 1) / season!), k, h, 1)
    }
  }
  const starts: LinearStart[] = [
    { name: 'naive', weights: naive, intercept: new Float64Array(outputs) },
    ...(seasonal ? [{ name: 'seasonalNaive' as const, weights: seasonal, intercept: new Float64Array(outputs) }] : []),
    { name: 'drift', weights: drift, intercept: new Float64Array(outputs) },
  ]
  if (ridge) starts.push({ name: 'linear', weights: widen(ridge, lookback, variables), intercept: Float64Array.from(ridge.ridge.intercept) })
  return starts
}

/**
 * The equal-weight mean of `parts` (forecast combination, FPP3 §13.4; the M4 competition's
 * "Comb" benchmark is such a mean of simple forecasts, Makridakis et al. 2020): the mean of
 * linear maps is the linear map of their mean weights and intercepts.
 */
export function meanStart(parts: readonly LinearStart[]): LinearStart {
  const weights = new Float64Array(parts[0]!.weights.length)
  const intercept = new Float64Array(parts[0]!.intercept.length)
  for (const part of parts) {
    part.weights.forEach((w, i) => (weights[i]! += w / parts.length))
    part.intercept.forEach((b, i) => (intercept[i]! += b / parts.length))
  }
  return { name: 'combination', weights, intercept, members: parts.map((part) => part.name) }
}

/** The ridge's weights over its feature columns, spread over every variable (zeros elsewhere). */
function widen(baseline: LinearBaseline, lookback: number, variables: number): Float64Array {
  const { ridge, columns } = baseline
  const outputs = ridge.outputs
  const weights = new Float64Array(lookback * variables * outputs)
  for (let t = 0; t < lookback; t++) {
    columns.forEach((v, c) => {
      for (let k = 0; k < outputs; k++) weights[(t * variables + v) * outputs + k] = ridge.weights[(t * columns.length + c) * outputs + k]!
    })
  }
  return weights
}

/** Mean squared error (model units) of each start on the windows starting at `starts`, in the order given. */
export function startErrors(candidates: readonly LinearStart[], data: StartData, series: ScaledSeries, starts: Int32Array, batchSize = 256): number[] {
  const errors = candidates.map(() => 0)
  const models: RidgeModel[] = candidates.map((c) => ({ features: data.lookback * series.variables, outputs: c.intercept.length, weights: c.weights, intercept: c.intercept, lambda: 0 }))
  for (let from = 0; from < starts.length; from += batchSize) {
    const part = Array.from(starts.subarray(from, Math.min(starts.length, from + batchSize)))
    const arrays = batchArrays(series, data, part)
    models.forEach((model, c) => {
      const predicted = predictRidge(model, arrays.inputs, arrays.batch)
      for (let i = 0; i < predicted.length; i++) errors[c]! += (predicted[i]! - arrays.targets[i]!) ** 2
    })
  }
  const count = starts.length * (candidates[0]?.intercept.length ?? 1)
  return errors.map((e) => e / count)
}
