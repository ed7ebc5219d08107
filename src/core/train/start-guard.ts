import * as tf from '@tensorflow/tfjs'
import type { Warning } from '../../shared/api'
import type { ConvLstmModel } from '../model/convlstm'
import { toModelInput } from '../model/layout'
import { predictRidge } from '../eval/ridge'
import { takeValues } from '../readback'
import { readCheckpointWithFallback, writeCheckpoint, type Checkpoint, type OptimizerSnapshot } from '../store/checkpoints'
import { getRunSummary, setBest } from '../store/runs'
import { writeTransaction, type Db } from '../store/workspace'
import type { RunConfig } from '../../shared/run-config'
import { batchArrays, type ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import type { LinearStart } from '../eval/linear-starts'
import type { Trainer } from './step'
import { foldCount } from '../eval/rolling-origin'
import { chooseStart, warmStartHighway } from './warm-start'

/**
 * Early stopping picks the best of many epochs on the validation windows, so on a short
 * series (11–18 windows) the best epoch beats the warm start partly by chance. The trained
 * epoch is kept only when it beats the start by more than a margin of standard errors of their
 * paired per-window differences; the standard error comes from up to five contiguous blocks of
 * windows at least a horizon long (foldCount), since neighbouring windows share targets. For
 * one comparison the margin is one standard error (the one-standard-error rule, ESL §7.10, as
 * the start's choice in rolling-origin.ts); the best of E epochs is the largest of E
 * comparisons, and the largest of E standard normal deviates stays below √(2 ln E) in
 * expectation, so that is the margin (at least one; conservative, since neighbouring epochs
 * are alike). With fewer than two such blocks there is no evidence either way and the start
 * stands. Otherwise the run's best becomes the start again, at epoch 0.
 */
/** Mean absolute error per window ([windows, outputs] row-major errors). */
function perWindow(predicted: ArrayLike<number>, actual: ArrayLike<number>, outputs: number): Float64Array {
  const out = new Float64Array(actual.length / outputs)
  for (let i = 0; i < actual.length; i++) out[Math.floor(i / outputs)]! += Math.abs(predicted[i]! - actual[i]!) / outputs
  return out
}

/** The margin, in standard errors, the best of `epochs` epochs must beat the start by. */
export function selectionMargin(epochs: number): number {
  return Math.max(1, Math.sqrt(2 * Math.log(Math.max(1, epochs))))
}

/** Whether paired differences (trained − start, per window, in time order) show the trained model better, the best of `epochs`, by more than selectionMargin standard errors. */
export function beatsStart(differences: ArrayLike<number>, horizon: number, epochs = 1): boolean {
  const n = differences.length
  const k = foldCount(n, horizon)
  if (k < 2) return false
  const means = Array.from({ length: k }, (_, b) => {
    const from = Math.round((b * n) / k)
    const to = Math.round(((b + 1) * n) / k)
    let sum = 0
    for (let i = from; i < to; i++) sum += differences[i]!
    return sum / (to - from)
  })
  const mean = means.reduce((a, b) => a + b, 0) / k
  const standardError = Math.sqrt(means.reduce((s, m) => s + (m - mean) ** 2, 0) / (k - 1) / k)
  return mean < -selectionMargin(epochs) * standardError
}

// the latest validation windows decide, in batches; more add little and cost time
const MAX_WINDOWS = 5000
const BATCH = 256

async function differencesOnValidation(model: ConvLstmModel, start: LinearStart, data: TrainingData, series: ScaledSeries): Promise<Float64Array> {
  const outputs = data.horizon * data.targets.length
  const val = data.split.val.subarray(Math.max(0, data.split.val.length - MAX_WINDOWS))
  const linearModel = { features: data.lookback * series.variables, outputs, weights: start.weights, intercept: start.intercept, lambda: 0 }
  const differences = new Float64Array(val.length)
  for (let from = 0; from < val.length; from += BATCH) {
    const arrays = batchArrays(series, data, val.subarray(from, Math.min(val.length, from + BATCH)))
    const x = toModelInput(arrays.inputs, arrays.batch, model.spec, data.grid?.order)
    let trained: Float32Array
    try {
      trained = await takeValues(tf.tidy(() => model.predict(x))) // [batch, horizon, targets], window frame
    } finally {
      x.dispose()
    }
    const a = perWindow(trained, arrays.targets, outputs)
    const b = perWindow(predictRidge(linearModel, arrays.inputs, arrays.batch), arrays.targets, outputs)
    a.forEach((value, w) => (differences[from + w] = value - b[w]!))
  }
  return differences
}

/**
 * After the last epoch: when the run's best is a trained epoch that does not beat its warm
 * start (see beatsStart), the best checkpoint becomes the start again (epoch 0). Returns the
 * best checkpoint it read (with its fallback warnings) or wrote, so the evaluation after it
 * does not read and decode it again; undefined when it did not look (without a highway, a
 * warm start or validation windows).
 */
export async function keepStartUnlessBeaten(
  db: Db,
  runId: number,
  ctx: { model: ConvLstmModel; trainer: Trainer; data: TrainingData; series: ScaledSeries; config: RunConfig; season: number | null; meanLoss: (starts: Int32Array) => Promise<number> },
  warn: (warning: Warning) => void,
): Promise<{ checkpoint: Checkpoint; warnings: Warning[] } | undefined> {
  const { model, data, series } = ctx
  const run = getRunSummary(db, runId)
  if (!model.spec.highway || model.spec.recursive || !run.bestEpoch || data.split.val.length < 2) return undefined
  const best = readCheckpointWithFallback(db, runId, 'best')
  const { checkpoint } = best
  model.setWeights(checkpoint.weights)
  const { chosen } = chooseStart(data, series, ctx.season)
  if (beatsStart(await differencesOnValidation(model, chosen, data, series), data.horizon, run.epochs)) return best
  await warmStartHighway(model, data, series, ctx.season)
  const valLoss = await ctx.meanLoss(data.split.val)
  const input = { epoch: 0, weights: await model.readWeights(), optimizer: (await ctx.trainer.getOptimizerState()) as OptimizerSnapshot, config: checkpoint.config, scaler: data.scaler }
  const sha256 = writeTransaction(db, () => {
    const written = writeCheckpoint(db, runId, 'best', input)
    setBest(db, runId, 0, valLoss)
    return written
  })
  const windows = data.split.val.length
  const why = foldCount(windows, data.horizon) === 0
    ? `the ${windows} validation windows are fewer than two horizons (${2 * data.horizon}), too few to show that it beats the warm start`
    : `it did not beat the warm start by more than ${selectionMargin(run.epochs).toFixed(2)} standard errors over the ${windows} validation windows (√(2 ln E), what the best of ${run.epochs} epochs reaches by chance)`
  warn({ code: 'START_KEPT', message: `Epoch ${run.bestEpoch} had the lowest validation loss, but ${why}; the run keeps the warm start (epoch 0).` })
  return { checkpoint: { ...input, runId, kind: 'best', sha256, clipHistory: null }, warnings: [] }
}
