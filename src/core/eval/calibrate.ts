import type { PredictionIntervals } from '../../shared/api'
import type { ConvLstmModel } from '../model/convlstm'
import type { ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import { chooseStartOnRollingOrigin, startResiduals } from './rolling-origin'
import type { Db } from '../store/workspace'
import { conformalIntervals, type PooledResiduals } from './conformal'
import { evenlySpaced } from './linear-baseline'
import { assertFinitePredictions, originsOf, predictWindows, testSeries } from './evaluate'
import { actualBlock } from './score'

// the most recent validation windows calibrate the intervals; more add little and cost memory
const MAX_CALIBRATION_WINDOWS = 5000

/**
 * Split-conformal intervals at `levels` from the model's residuals on the validation windows
 * (the latest MAX_CALIBRATION_WINDOWS of them), pooled with its warm start's out-of-sample
 * history (historyResiduals). Undefined without levels or validation windows.
 */
export async function calibrateIntervals(db: Db, runId: number, model: ConvLstmModel, data: TrainingData, series: ScaledSeries, levels: readonly number[], season: number | null): Promise<PredictionIntervals | undefined> {
  const val = data.split.val.subarray(Math.max(0, data.split.val.length - MAX_CALIBRATION_WINDOWS))
  if (levels.length === 0 || val.length === 0) return undefined
  const predicted = await predictWindows(model, data, series, val)
  assertFinitePredictions(predicted.values, runId)
  const actual = actualBlock(testSeries(db, data).series, originsOf(data, val), data.horizon)
  const history = historyResiduals(model, data, series, season)
  const pooled: PooledResiduals | undefined = history ? { windows: history.starts.length, residuals: history.residuals } : undefined
  return conformalIntervals(actual, predicted, levels, pooled)
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
