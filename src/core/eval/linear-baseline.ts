import { batchArrays, type ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import type { ForecastBlock } from './metrics'
import { addRows, createGram, meanVariance, predictRidge, solveRidge, type RidgeModel } from './ridge'
import { toOriginalUnits } from './units'

/**
 * The linear baseline: ridge regression from the run's model input (the scaled window, in
 * each window's frame when the run normalises per window) to every horizon step × target,
 * its penalty chosen on the validation windows. What the highway alone could learn, so a
 * ConvLSTM that does not beat it adds nothing.
 */
export interface LinearBaseline {
  ridge: RidgeModel
  /** Input columns the features are read from (all of them, or the targets' when that is too wide). */
  columns: number[]
  /** Validation MSE (model units) of each penalty tried, by relative penalty. */
  validation: Record<string, number>
  /** Validation MSE of an output of zero (the naive forecast in a last-value frame); NaN without validation windows. */
  zeroValidation: number
}

// the normal equations cost features² per window and features³ once; beyond this, targets only
const MAX_FEATURES = 768
const MAX_GRAM_WORK = 1.5e9
/** Penalties relative to (training windows × mean feature variance). */
export const RELATIVE_PENALTIES = [1e-10, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1]
const BATCH = 256

type LinearData = Pick<TrainingData, 'lookback' | 'horizon' | 'targets' | 'targetColumns' | 'scales' | 'frame' | 'split'>

/** Null when even the targets' windows are too wide for the normal equations. */
export function fitLinearBaseline(data: LinearData, series: ScaledSeries): LinearBaseline | null {
  const all = Array.from({ length: series.variables }, (_, v) => v)
  const columns = data.lookback * all.length <= MAX_FEATURES ? all : [...new Set(data.targetColumns)]
  const features = data.lookback * columns.length
  if (features > MAX_FEATURES || data.split.train.length === 0) return null
  const outputs = data.horizon * data.targets.length
  const train = evenlySpaced(data.split.train, Math.max(200, Math.floor(MAX_GRAM_WORK / (features * features))))
  const gram = createGram(features, outputs)
  forBatches(data, series, columns, train, (x, y, rows) => addRows(gram, x, y, rows))
  const base = gram.count * meanVariance(gram)
  const candidates = RELATIVE_PENALTIES.map((relative) => ({ relative, ridge: solveRidge(gram, Math.max(base * relative, 1e-9)) }))
  const validation: Record<string, number> = {}
  let best = candidates[RELATIVE_PENALTIES.indexOf(1e-3)]!
  let zeroValidation = NaN
  if (data.split.val.length > 0) {
    const errors = candidates.map(() => 0)
    let zero = 0
    forBatches(data, series, columns, data.split.val, (x, y, rows) => {
      for (let i = 0; i < y.length; i++) zero += y[i]! ** 2
      candidates.forEach(({ ridge }, c) => {
        const predicted = predictRidge(ridge, x, rows)
        for (let i = 0; i < predicted.length; i++) errors[c]! += (predicted[i]! - y[i]!) ** 2
      })
    })
    candidates.forEach(({ relative }, c) => (validation[String(relative)] = errors[c]! / (data.split.val.length * outputs)))
    best = candidates[errors.indexOf(Math.min(...errors))]!
    zeroValidation = zero / (data.split.val.length * outputs)
  }
  return { ridge: best.ridge, columns, validation, zeroValidation }
}

/** The baseline's forecasts for the windows starting at `starts`, original units. */
export function predictLinear(baseline: LinearBaseline, data: LinearData, series: ScaledSeries, starts: ArrayLike<number>): ForecastBlock {
  const arrays = batchArrays(series, data, Array.from(starts), false)
  const x = selectColumns(arrays.inputs, arrays.batch, data.lookback, series.variables, baseline.columns)
  return toOriginalUnits(predictRidge(baseline.ridge, x, arrays.batch), arrays.frame, data)
}

function forBatches(data: LinearData, series: ScaledSeries, columns: number[], starts: ArrayLike<number>, fn: (x: Float32Array, y: Float32Array, rows: number) => void): void {
  for (let from = 0; from < starts.length; from += BATCH) {
    const part = Array.from({ length: Math.min(BATCH, starts.length - from) }, (_, i) => starts[from + i]!)
    const arrays = batchArrays(series, data, part)
    fn(selectColumns(arrays.inputs, arrays.batch, data.lookback, series.variables, columns), arrays.targets, arrays.batch)
  }
}

/** [batch, lookback, variables] → [batch, lookback, columns] */
function selectColumns(inputs: Float32Array, batch: number, lookback: number, variables: number, columns: number[]): Float32Array {
  if (columns.length === variables) return inputs
  const out = new Float32Array(batch * lookback * columns.length)
  for (let r = 0; r < batch * lookback; r++) columns.forEach((v, c) => (out[r * columns.length + c] = inputs[r * variables + v]!))
  return out
}

/** At most `limit` of the starts, evenly spread over them (all of them when there are fewer). */
function evenlySpaced(starts: Int32Array, limit: number): Int32Array {
  if (starts.length <= limit) return starts
  return Int32Array.from({ length: limit }, (_, i) => starts[Math.floor((i * starts.length) / limit)]!)
}
