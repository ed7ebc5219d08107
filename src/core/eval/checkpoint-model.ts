import type { Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { createModel, type ConvLstmModel } from '../model/convlstm'
import type { ModelSpec } from '../model/spec'
import { readCheckpointWithFallback, type Checkpoint, type CheckpointKind } from '../store/checkpoints'
import type { Db } from '../store/workspace'
import { seriesFor, type ScaledSeries } from '../data/batches'
import { modelSpecFor, planTrainingData, type TrainingData } from '../data/training-data'

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
