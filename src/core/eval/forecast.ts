import type { Forecast, PredictionIntervals, Warning } from '../../shared/api'
import type { Step } from '../data/calendar'
import { continueZonedTimes } from '../data/time-zone'
import { isoUtc } from '../data/export'
import { unscaleValue } from '../data/scaler'
import { regularSteps } from '../data/windows'
import { readColumn, readTimes } from '../store/datasets'
import { insertForecast, type StoredForecast } from '../store/forecasts'
import { addRunWarning } from '../store/run-warnings'
import type { Db } from '../store/workspace'
import { intervalBounds } from './conformal'
import { assertFinitePredictions, predictScaled } from './evaluate'
import { loadRunModel, type LoadedRun } from './inference'

export interface ForecastOptions {
  /** Step between forecast rows (`1h`, `15m`, `1M`); required when the dataset is irregular. */
  step?: Step | string
}

/**
 * The forecast of a run from the end of its dataset: the last `lookback` rows, scaled with the
 * run's scaler, through the best checkpoint's model, H steps ahead in original units, with
 * timestamps continuing the dataset's frequency. Stored in `forecasts`.
 */
export async function makeForecast(db: Db, runId: number, options: ForecastOptions = {}): Promise<{ forecast: StoredForecast; warnings: Warning[] }> {
  const loaded = loadRunModel(db, runId, 'best')
  try {
    const { forecast, warnings } = await forecastFrom(db, loaded, options)
    const all = [...loaded.warnings, ...warnings]
    // kept on the run, so the app and the browser show them beside the forecast, not only the CLI
    all.forEach((warning) => addRunWarning(db, runId, warning))
    return { forecast: insertForecast(db, forecast), warnings: all }
  } finally {
    loaded.model.dispose()
  }
}

/** The forecast values and timestamps, without storing them. */
export async function forecastFrom(db: Db, { run, data, model, series }: LoadedRun, options: ForecastOptions = {}): Promise<{ forecast: Forecast; warnings: Warning[] }> {
  const { dataset, lookback, horizon } = data
  const times = readTimes(db, dataset.id)
  // the timestamps first: an irregular series without a step is refused before any tensor work
  const future = continueZonedTimes(times, dataset.frequency, horizon, options.step, dataset.timeZone)
  const start = dataset.rows - lookback
  const warnings: Warning[] = []
  const { regular } = regularSteps(times, dataset.frequency, { timeZone: dataset.timeZone })
  for (let i = start + 1; i < times.length; i++) {
    if (!regular(i)) {
      warnings.push({ code: 'FORECAST_INPUT_GAP', message: `The last ${lookback} rows, which the forecast reads, span a gap in the timestamps (after ${isoUtc(times[i - 1]!)}); the model never trained on such a window.` })
      break
    }
  }
  const missing = data.inputs.filter((name) => readColumn(db, dataset.id, name, { start, end: dataset.rows }).some((v) => !Number.isFinite(v)))
  if (missing.length > 0) {
    warnings.push({ code: 'VALUES_IMPUTED', message: `Missing values in the last ${lookback} rows of ${missing.join(', ')} were filled with the training mean.` })
  }

  const scaled = await predictScaled(model, data, series, [start]) // [1, horizon, targets]
  assertFinitePredictions(scaled, run.id)
  const values: Record<string, number[]> = {}
  const original = new Float64Array(scaled.length) // [horizon, targets]
  data.targets.forEach((name, k) => {
    const scale = data.scales[data.targetColumns[k]!]!
    for (let s = 0; s < horizon; s++) original[s * data.targets.length + k] = unscaleValue(scale, scaled[s * data.targets.length + k]!)
    values[name] = Array.from({ length: horizon }, (_, s) => original[s * data.targets.length + k]!)
  })
  const intervals = run.metrics?.intervals ? forecastIntervals(original, run.metrics.intervals, data.targets, horizon) : undefined
  return {
    forecast: { runId: run.id, origin: isoUtc(times[times.length - 1]!), horizon, time: future.map(isoUtc), values, ...(intervals ? { intervals } : {}) },
    warnings,
  }
}

/** The run's conformal half-widths around a forecast ([horizon, targets] values), per level and target. */
export function forecastIntervals(values: Float64Array, intervals: PredictionIntervals, targets: readonly string[], horizon: number): NonNullable<Forecast['intervals']> {
  const out: NonNullable<Forecast['intervals']> = {}
  for (const level of intervals.levels) {
    const halfWidth = intervals.halfWidth[String(level)]
    if (!halfWidth || halfWidth.length !== values.length) continue
    const { lower, upper } = intervalBounds(values, halfWidth)
    const column = (bound: Float64Array, k: number) => Array.from({ length: horizon }, (_, s) => bound[s * targets.length + k]!)
    out[String(level)] = {
      lower: Object.fromEntries(targets.map((name, k) => [name, column(lower, k)])),
      upper: Object.fromEntries(targets.map((name, k) => [name, column(upper, k)])),
    }
  }
  return out
}
