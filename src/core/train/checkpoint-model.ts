import type * as tf from '@tensorflow/tfjs'
import type { Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { createModel, type ConvLstmModel } from '../model/convlstm'
import type { ModelSpec } from '../model/spec'
import { readCheckpointWithFallback, type Checkpoint, type CheckpointKind } from '../store/checkpoints'
import { readColumn, readTimes } from '../store/datasets'
import type { Db } from '../store/workspace'
import { batchArrays, batchTensors, type ScaledSeries } from './batches'
import { planTrainingData, type TrainingData } from './data'
import { modelSpecFor, seriesFor } from './session'

/** A run's model rebuilt from a checkpoint, with the data plan and scaler that produced it. */
export interface RunModel {
  model: ConvLstmModel
  spec: ModelSpec
  /** Windows, split and the fitted scaler (`data.scaler`, `data.scales`) of the run. */
  data: TrainingData
  series: ScaledSeries
  checkpoint: Checkpoint
  /** E.g. the preferred checkpoint was corrupt and the other one was loaded. */
  warnings: Warning[]
  dispose(): void
}

/**
 * Rebuilds the run's model from its `kind` checkpoint (SHA-256 verified; a corrupt one falls
 * back to the other checkpoint with a warning). A checkpoint that does not fit the model or
 * the dataset is CHECKPOINT_MISMATCH and nothing is loaded. Select the backend first.
 */
export function loadCheckpointModel(db: Db, runId: number, kind: CheckpointKind = 'best'): RunModel {
  const { checkpoint, warnings } = readCheckpointWithFallback(db, runId, kind)
  const data = planTrainingData(db, checkpoint.config, checkpoint.scaler)
  const spec = modelSpecFor(checkpoint.config, data)
  const model = createModel(spec)
  try {
    model.setWeights(checkpoint.weights)
  } catch (error) {
    model.dispose()
    if (error instanceof ClipcastError) throw error
    throw new ClipcastError('CHECKPOINT_MISMATCH', `The ${checkpoint.kind} checkpoint of run ${runId} does not fit its model: ${(error as Error).message}.`, {
      hint: 'The dataset or the configuration changed since the run was trained.',
      cause: error,
    })
  }
  return { model, spec, data, series: seriesFor(db, data), checkpoint, warnings, dispose: () => model.dispose() }
}

export interface WindowBatch {
  /** Model input per the layout, scaled; the caller disposes it. */
  x: tf.Tensor5D
  /** [batch, horizon, targets] row-major, in ORIGINAL units, read from the store (not unscaled). */
  actual: Float64Array
  /** First input row of each window. */
  starts: Int32Array
  /** The forecast origin of each window: its last input row and that row's time (UTC ms). */
  originRows: Int32Array
  originTimes: Float64Array
  batch: number
}

/**
 * Batches of the given windows (default: the test split) for scoring: model inputs plus the
 * actual targets in original units. Bounded memory: one batch at a time.
 */
export function* windowBatches(db: Db, run: Pick<RunModel, 'data' | 'series' | 'spec'>, starts: Int32Array = run.data.split.test, batchSize = 256): Generator<WindowBatch> {
  const { data, series, spec } = run
  const { lookback, horizon, targets } = data
  for (let from = 0; from < starts.length; from += batchSize) {
    const part = starts.slice(from, Math.min(starts.length, from + batchSize))
    const batch = part.length
    const lo = part[0]!
    const hi = part[batch - 1]! + lookback + horizon
    const times = readTimes(db, data.dataset.id, { start: lo, end: hi })
    const raw = targets.map((name) => readColumn(db, data.dataset.id, name, { start: lo, end: hi }))
    const actual = new Float64Array(batch * horizon * targets.length)
    const originRows = new Int32Array(batch)
    const originTimes = new Float64Array(batch)
    for (let b = 0; b < batch; b++) {
      const start = part[b]!
      originRows[b] = start + lookback - 1
      originTimes[b] = times[start + lookback - 1 - lo]!
      for (let h = 0; h < horizon; h++) {
        for (let t = 0; t < targets.length; t++) actual[(b * horizon + h) * targets.length + t] = raw[t]![start + lookback + h - lo]!
      }
    }
    const { x, y } = batchTensors(batchArrays(series, data, part), spec, data)
    y.dispose()
    yield { x, actual, starts: part, originRows, originTimes, batch }
  }
}

/** Converts scaled model outputs [.., targets] (last axis = the run's targets) to original units. */
export function unscaleTargets(data: Pick<TrainingData, 'scales' | 'targetColumns'>, scaled: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scaled.length)
  const scales = data.targetColumns.map((c) => data.scales[c]!)
  for (let i = 0; i < scaled.length; i++) {
    const scale = scales[i % scales.length]!
    out[i] = scaled[i]! * scale.std + scale.mean
  }
  return out
}
