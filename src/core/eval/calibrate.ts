import type { PredictionIntervals } from '../../shared/api'
import type { ConvLstmModel } from '../model/convlstm'
import type { ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import { chooseStartOnRollingOrigin, startResiduals } from './rolling-origin'
import { evenlySpaced } from './linear-baseline'
import { assertFinitePredictions, originsOf, predictWindows, seasonOf } from './evaluate'
import type { LoadedRun } from './inference'
import type { ForecastBlock } from './metrics'
import { addWindow, createOnlineConformal, halfWidthsAt, sampleSize, type OnlineConformal } from './online-conformal'
import { actualBlock, type TestSeries } from './score'

// the most recent validation windows calibrate the intervals, and each cell's sample holds the
// latest this many known residuals; more add little and cost memory
const MAX_CALIBRATION_WINDOWS = 5000
// adaptive conformal inference's step over the test part (online-conformal.ts), chosen on the
// validation parts of bench/interval-study.ts (walked after the history, before any test
// window): among 0, 0.005, 0.02 and 0.05, 0.05 came closest to 80% and 95% on average
export const ACI_GAMMA = 0.05

/**
 * A run's interval calibration as its test part is walked in time order (online-conformal.ts):
 * it starts with the warm start's out-of-sample history and the validation windows, and each
 * test window's residuals join once its targets are observed, so a test window's interval
 * rests on exactly what a forecaster deployed at its origin would have known; adaptive
 * conformal inference (ACI_GAMMA) widens a step's intervals after its misses and narrows them
 * after its hits.
 */
export interface RunCalibration {
  levels: number[]
  online: OnlineConformal
  counts: { history: number; validation: number; test: number }
}

/**
 * The calibration before the test part: the model's residuals on the validation windows (the
 * latest MAX_CALIBRATION_WINDOWS of them) after its warm start's out-of-sample history
 * (historyResiduals). Undefined without levels or validation windows.
 */
export async function startCalibration(runId: number, model: ConvLstmModel, data: TrainingData, series: ScaledSeries, test: TestSeries, levels: readonly number[], season: number | null): Promise<RunCalibration | undefined> {
  const val = data.split.val.subarray(Math.max(0, data.split.val.length - MAX_CALIBRATION_WINDOWS))
  if (levels.length === 0 || val.length === 0) return undefined
  const predicted = await predictWindows(model, data, series, val)
  assertFinitePredictions(predicted.values, runId)
  const actual = actualBlock(test.series, originsOf(data, val), data.horizon)
  const online = createOnlineConformal(data.horizon, data.targets.length, MAX_CALIBRATION_WINDOWS, { gamma: ACI_GAMMA, levels })
  const cells = data.horizon * data.targets.length
  const history = historyResiduals(model, data, series, season)
  const historyOrigins = history ? originsOf(data, history.starts) : []
  historyOrigins.forEach((origin, w) => addWindow(online, origin, history!.residuals.subarray(w * cells, (w + 1) * cells)))
  originsOf(data, val).forEach((origin, w) => addWindow(online, origin, absoluteErrors(actual, predicted, w)))
  return { levels: [...levels], online, counts: { history: historyOrigins.length, validation: val.length, test: 0 } }
}

/**
 * A stored run's calibration before its test part, at the levels its intervals were stored
 * with. Undefined for a run without intervals, and for one evaluated before the online
 * calibration (no `calibratedOn`): its stored coverage scored its fixed intervals, which the
 * test period then draws for every window, so the bands shown are the ones that were scored.
 */
export async function startRunCalibration({ run, model, data, series }: Pick<LoadedRun, 'run' | 'model' | 'data' | 'series'>, test: TestSeries): Promise<RunCalibration | undefined> {
  if (run.metrics?.intervals?.calibratedOn === undefined) return undefined
  const levels = run.metrics.intervals.levels
  return startCalibration(run.id, model, data, series, test, levels, seasonOf(run.config, data))
}

/** |actual − predicted| of window w of two blocks, [horizon · targets]. */
function absoluteErrors(actual: ForecastBlock, predicted: ForecastBlock, w: number): Float64Array {
  const cells = actual.horizon * actual.targets
  return Float64Array.from({ length: cells }, (_, c) => Math.abs(actual.values[w * cells + c]! - predicted.values[w * cells + c]!))
}

/**
 * The half-widths of a batch of test windows (after every earlier test window, in origin
 * order), by level, [windows, horizon · targets]: each window's from the residuals known at its
 * origin; then its own residuals join the calibration.
 */
export function calibrateBatch(calibration: RunCalibration, origins: readonly number[], actual: ForecastBlock, predicted: ForecastBlock): Record<string, Float64Array> {
  const cells = actual.horizon * actual.targets
  const out = Object.fromEntries(calibration.levels.map((level) => [String(level), new Float64Array(origins.length * cells)]))
  origins.forEach((origin, w) => {
    const widths = halfWidthsAt(calibration.online, origin, calibration.levels)
    for (const level of calibration.levels) out[String(level)]!.set(widths[String(level)]!, w * cells)
    addWindow(calibration.online, origin, absoluteErrors(actual, predicted, w), widths)
    calibration.counts.test++
  })
  return out
}

/** The intervals after the end of the data (the forecast's): every residual is known by then. */
export function finalIntervals(calibration: RunCalibration): PredictionIntervals {
  const widths = halfWidthsAt(calibration.online, Infinity, calibration.levels)
  const halfWidth = Object.fromEntries(Object.entries(widths).map(([level, w]) => [level, Array.from(w)]))
  const size = sampleSize(calibration.online)
  return { levels: [...calibration.levels], calibrationWindows: Number.isFinite(size) ? size : 0, halfWidth, calibratedOn: { ...calibration.counts, latest: MAX_CALIBRATION_WINDOWS, gamma: calibration.online.gamma } }
}

/**
 * The out-of-sample residuals (original units, [windows, horizon · targets]) of a highway
 * model's warm start on the rolling origins before the validation part (rolling-origin.ts):
 * the network starts at that forecast and keeps a trained epoch only when it beats it
 * (start-guard.ts), so they are a fair, if cautious, sample of the model's errors, and they
 * reach further into the past than the validation part (a short series' 11–18 windows say
 * little about its tails). A fixed start (naive, seasonal naive, drift) fits nothing, so every
 * training window is out of sample for it (at most MAX_CALIBRATION_WINDOWS of them, evenly
 * spread). Undefined without a highway.
 */
export function historyResiduals(model: ConvLstmModel, data: TrainingData, series: ScaledSeries, season: number | null): { starts: Int32Array; residuals: Float64Array } | undefined {
  if (!model.spec.highway || model.spec.recursive) return undefined
  const rolling = chooseStartOnRollingOrigin(data, series, season)
  if (!rolling) return undefined
  const firstVal = data.split.val.length > 0 ? data.split.val[0]! : Infinity
  if (rolling.penalty === null) {
    const train = evenlySpaced(data.split.train.filter((start) => start < firstVal), MAX_CALIBRATION_WINDOWS)
    return { starts: train, residuals: startResiduals(rolling.chosen, data, series, train) }
  }
  let windows = 0
  while (windows < rolling.windows.length && rolling.windows[windows]! < firstVal) windows++
  const cells = data.horizon * data.targets.length
  return { starts: rolling.windows.subarray(0, windows), residuals: rolling.residuals.subarray(0, windows * cells) }
}
