import type { EpochRecord, Recovery } from '../../shared/api'
import { ClipcastError, type ErrorData } from '../../shared/errors'
import type { RunConfig, RunStatus } from '../../shared/run-config'
import { createModel, type ConvLstmModel } from '../model/convlstm'
import { modelSpecFromConfig, type ModelSpec } from '../model/spec'
import { readCheckpointWithFallback, writeCheckpoint, type Checkpoint, type OptimizerSnapshot } from '../store/checkpoints'
import { readColumn } from '../store/datasets'
import { finishRun, getRunSummary, insertEpoch, insertRecovery, listRecoveries, setBest } from '../store/runs'
import { writeTransaction, type Db } from '../store/workspace'
import { batchArrays, batchTensors, ScaledSeries, shuffledOrder } from './batches'
import { assertRunFits } from './memory-budget'
import { stopIfResumable, storingWarnings } from './session-guards'
import { planTrainingData, type TrainingData } from './data'
import type { ClipMode } from './clipping'
import { createTrainer, type OptimizerState, type Trainer } from './step'
import { recordStartingPoint, START_LABELS, warmStartHighway } from './warm-start'
import { keepStartUnlessBeaten } from './start-guard'
import type { NormHistoryState } from './autoclip'
import { evaluateFinishedRun, seasonOf } from '../eval/evaluate'

/** A loss this many times the best healthy step loss so far counts as divergence. */
export const LOSS_SPIKE_FACTOR = 1e3
/**
 * …but never a loss below this (scaled units: about what predicting the training mean costs):
 * a model warm-started at an exact fit has step losses near 1e-15, and a thousand times that
 * is rounding noise, not an explosion; a loss that grows but stays below this is left to
 * early stopping, which keeps the best epoch.
 */
export const MIN_SPIKE_LOSS = 1

/** The spike limit of the next step given the best healthy step loss so far. */
export function spikeLimit(bestStepLoss: number): number {
  return Math.max(LOSS_SPIKE_FACTOR * bestStepLoss, MIN_SPIKE_LOSS)
}

export interface SessionEvents {
  progress(event: { epoch: number; totalEpochs: number; step: number; stepsPerEpoch: number; loss: number; gradNorms: number[] }): void
  epoch(record: EpochRecord): void
  recovered(recovery: Recovery): void
  /** Warnings about the data (imputation, constant columns, …) and checkpoints (fallbacks). */
  warning?(warning: { code: string; message: string }): void
  /** Data planned and model built; errors before this point are configuration errors. */
  ready?(info: { trainWindows: number; valWindows: number; testWindows: number; stepsPerEpoch: number; totalEpochs: number }): void
}

export interface SessionOptions {
  db: Db
  runId: number
  /** Continue from the run's last checkpoint (resume) instead of fresh weights. */
  resume: boolean
  events: SessionEvents
  /** Polled between steps; true ends the run as `stopped` with its last committed epoch intact. */
  stopRequested: () => boolean
  /** Steps between progress events (default 10). */
  progressEvery?: number
}

export interface SessionResult {
  status: RunStatus
  error?: ErrorData
}

/** Weights and optimizer slots in memory: what a recovery rolls back to. */
interface Snapshot {
  epoch: number
  weights: Map<string, Float32Array>
  optimizer: OptimizerState
  clipHistory: NormHistoryState
}

/** Tunables the guard may change during a run; stored in every checkpoint's config. */
interface Tunables {
  lr: number
  clip: ClipMode
  clipThreshold: number
  clipPercentile: number
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  const at = (sorted.length - 1) * q
  const lo = Math.floor(at)
  const hi = Math.ceil(at)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo)
}

export function gradNormStats(norms: number[]): EpochRecord['gradNorm'] {
  const sorted = Float64Array.from(norms).sort()
  const mean = norms.length ? norms.reduce((a, b) => a + b, 0) / norms.length : 0
  return { mean, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.length ? sorted[sorted.length - 1]! : 0 }
}

export function modelSpecFor(config: RunConfig, data: TrainingData): ModelSpec {
  return modelSpecFromConfig(
    config,
    data.inputs.length,
    data.grid ? { rows: data.grid.rows, cols: data.grid.cols, features: data.grid.features.length } : undefined,
    data.targetColumns,
  )
}

/** The scaled-value reader of a run's dataset. */
export function seriesFor(db: Db, data: TrainingData): ScaledSeries {
  return new ScaledSeries((name, range) => readColumn(db, data.dataset.id, name, range), data.scales, data.dataset.rows)
}

/** Mean data loss over windows, in batches (scaled units); NaN when there are none. */
export async function meanLoss(trainer: Trainer, spec: ModelSpec, data: TrainingData, series: ScaledSeries, starts: Int32Array, batch: number): Promise<number> {
  if (starts.length === 0) return NaN
  let sum = 0
  for (let from = 0; from < starts.length; from += batch) {
    const part = starts.subarray(from, Math.min(starts.length, from + batch))
    const { x, y } = batchTensors(batchArrays(series, data, part), spec, data)
    try {
      sum += (await trainer.evaluate(x, y)) * part.length
    } finally {
      x.dispose()
      y.dispose()
    }
  }
  return sum / starts.length
}

/** Scoring needs no gradients: larger batches mean fewer kernel launches for the same mean. */
export function evalBatch(config: RunConfig): number {
  return Math.max(config.batch, 256)
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Trains (or resumes) one run to its end inside the calling thread: epochs of seeded,
 * shuffled batches; the divergence guard at every step; each epoch's metrics and its
 * `last` (and, when it improved, `best`) checkpoint committed in one transaction. Ends the
 * run's row with its final status. The worker calls this; tests may call it in-process.
 */
export async function trainRun(sessionOptions: SessionOptions): Promise<SessionResult> {
  const { db, runId } = sessionOptions
  const events = storingWarnings(db, runId, sessionOptions.events)
  const options: SessionOptions = { ...sessionOptions, events }
  const run = getRunSummary(db, runId)
  const config = run.config
  let checkpoint: Checkpoint | null = null
  if (options.resume) {
    const hasCheckpoint = (db.prepare('SELECT count(*) AS n FROM checkpoints WHERE run_id = ?').get(runId) as { n: number }).n > 0
    if (hasCheckpoint) {
      const loaded = readCheckpointWithFallback(db, runId, 'last')
      checkpoint = loaded.checkpoint
      loaded.warnings.forEach((w) => events.warning?.(w))
    }
  }
  const storedScaler = checkpoint?.scaler ?? (options.resume ? storedRunScaler(db, runId) : undefined)
  const data = planTrainingData(db, config, storedScaler)
  data.warnings.forEach((w) => events.warning?.(w))
  if (!storedScaler) db.prepare('UPDATE runs SET scaler_json = ? WHERE id = ?').run(JSON.stringify(data.scaler), runId)

  const spec = modelSpecFor(config, data)
  // refused before any tensor exists, with the estimate and what to lower
  assertRunFits(spec, config.batch, evalBatch(config))
  const series = seriesFor(db, data)
  const tunables: Tunables = checkpoint
    ? { lr: checkpoint.config.lr, clip: checkpoint.config.clip, clipThreshold: checkpoint.config.clipThreshold, clipPercentile: checkpoint.config.clipPercentile }
    : { lr: config.lr, clip: config.clip, clipThreshold: config.clipThreshold, clipPercentile: config.clipPercentile }
  let model: ConvLstmModel | undefined
  let trainer: Trainer | undefined
  try {
    model = createModel(spec)
    // a fresh model with a highway starts at the linear baseline (or the naive forecast)
    const start = checkpoint ? null : await warmStartHighway(model, data, series, seasonOf(config, data))
    if (start) events.warning?.({ code: 'WARM_START', message: `The linear highway starts at the ${START_LABELS[start.from]} forecast, the best of the linear forecasts on a rolling origin over the training and validation windows; the ConvLSTM learns what it misses.` })
    if (checkpoint) {
      model.setWeights(checkpoint.weights)
      // epochs after the checkpoint (possible only after falling back from a corrupt `last`) are redone
      db.prepare('DELETE FROM epochs WHERE run_id = ? AND epoch > ?').run(runId, checkpoint.epoch)
    } else if (options.resume) {
      db.prepare('DELETE FROM epochs WHERE run_id = ?').run(runId)
    }
    trainer = createTrainer(model, { loss: config.loss, optimizer: config.optimizer, l1: config.l1, l2: config.l2, seed: config.seed, ...tunables })
    if (checkpoint?.optimizer) await trainer.setOptimizerState(checkpoint.optimizer as OptimizerState)
    if (checkpoint?.clipHistory) trainer.setClipHistory(checkpoint.clipHistory)
    if (start) await recordStartingPoint(db, runId, { model, trainer, spec, data, series, config, meanLoss: (starts) => meanLoss(trainer!, spec, data, series, starts, evalBatch(config)) })
    events.ready?.({
      trainWindows: data.split.train.length,
      valWindows: data.split.val.length,
      testWindows: data.split.test.length,
      stepsPerEpoch: Math.ceil(data.split.train.length / config.batch),
      totalEpochs: config.epochs,
    })
    try {
      return await loop({ ...options, config, data, spec, series, model, trainer, tunables, checkpoint })
    } catch (error) {
      return stopIfResumable(db, runId, error)
    }
  } finally {
    trainer?.dispose()
    model?.dispose()
  }
}

function storedRunScaler(db: Db, runId: number) {
  const row = db.prepare('SELECT scaler_json FROM runs WHERE id = ?').get(runId) as { scaler_json: string | null } | undefined
  return row?.scaler_json ? (JSON.parse(row.scaler_json) as TrainingData['scaler']) : undefined
}

interface LoopContext extends SessionOptions {
  config: RunConfig
  data: TrainingData
  spec: ModelSpec
  series: ScaledSeries
  model: ConvLstmModel
  trainer: Trainer
  tunables: Tunables
  checkpoint: Checkpoint | null
}

async function loop(ctx: LoopContext): Promise<SessionResult> {
  const { db, runId, config, data, spec, series, model, trainer, tunables, events } = ctx
  const progressEvery = Math.max(1, ctx.progressEvery ?? 10)
  const train = data.split.train
  const stepsPerEpoch = Math.ceil(train.length / config.batch)
  const run = getRunSummary(db, runId)
  let bestEpoch = run.bestEpoch
  let bestValLoss = run.bestValLoss ?? Infinity
  let recoveries = listRecoveries(db, runId).length
  // the initial weights (or the resumed checkpoint) are the first good state to roll back to
  let lastGood: Snapshot = { epoch: ctx.checkpoint?.epoch ?? 0, weights: await model.readWeights(), optimizer: await trainer.getOptimizerState(), clipHistory: trainer.getClipHistory() }
  let bestStepLoss = Infinity
  const healthyNorms: number[] = []
  const effectiveConfig = (): RunConfig => ({ ...config, ...tunables })

  for (let epoch = lastGood.epoch + 1; epoch <= config.epochs; epoch++) {
    const started = performance.now()
    const order = shuffledOrder(train, config.seed, epoch)
    const norms: number[] = []
    const layerSums: Record<string, number> = {}
    let lossSum = 0
    let clippedSteps = 0
    let pendingNorms: number[] = []
    let stepThreshold: number | null = null
    let divergence: { step: number; reason: string; norm?: number } | null = null

    for (let step = 0; step < stepsPerEpoch; step++) {
      await yieldToEvents()
      if (ctx.stopRequested()) {
        writeTransaction(db, () => finishRun(db, runId, 'stopped'))
        return { status: 'stopped' }
      }
      const part = order.subarray(step * config.batch, Math.min(order.length, (step + 1) * config.batch))
      const { x, y } = batchTensors(batchArrays(series, data, part), spec, data)
      let result
      try {
        // the trainer refuses a spike before applying it, so a caught step never touches the weights
        result = await trainer.step(x, y, Number.isFinite(bestStepLoss) ? { maxLoss: spikeLimit(bestStepLoss) } : {})
      } finally {
        x.dispose()
        y.dispose()
      }
      const spike = result.spike
      if (!result.finite || spike) {
        divergence = {
          step: step + 1,
          norm: result.preClipNorm,
          reason: !result.finite
            ? `non-finite ${Number.isFinite(result.loss) ? 'gradient' : 'loss'} (loss ${result.loss}, pre-clip norm ${result.preClipNorm})`
            : `loss ${result.loss.toPrecision(4)} above ${spikeLimit(bestStepLoss).toPrecision(4)} (${LOSS_SPIKE_FACTOR} × the best step loss ${bestStepLoss.toPrecision(4)}, at least ${MIN_SPIKE_LOSS})`,
        }
        break
      }
      bestStepLoss = Math.min(bestStepLoss, result.loss)
      norms.push(result.preClipNorm)
      healthyNorms.push(result.preClipNorm)
      if (healthyNorms.length > 20_000) healthyNorms.splice(0, healthyNorms.length - 10_000)
      pendingNorms.push(result.preClipNorm)
      lossSum += result.loss
      if (result.clipped) clippedSteps++
      stepThreshold = result.clipThreshold
      for (const [key, value] of Object.entries(result.layerNorms)) layerSums[key] = (layerSums[key] ?? 0) + value
      if ((step + 1) % progressEvery === 0 || step + 1 === stepsPerEpoch) {
        events.progress({ epoch, totalEpochs: config.epochs, step: step + 1, stepsPerEpoch, loss: lossSum / norms.length, gradNorms: pendingNorms })
        pendingNorms = []
      }
    }

    let valLoss: number | null = null
    if (!divergence && data.split.val.length > 0) {
      valLoss = await meanLoss(trainer, spec, data, series, data.split.val, evalBatch(config))
      if (!Number.isFinite(valLoss)) divergence = { step: stepsPerEpoch, reason: `non-finite validation loss (${valLoss})` }
    }

    if (divergence) {
      if (config.onDiverge === 'stop' || recoveries >= config.maxRecoveries) {
        const error = new ClipcastError(
          'RUN_DIVERGED',
          `Run ${runId} diverged at epoch ${epoch}, step ${divergence.step}: ${divergence.reason}.` +
            (config.onDiverge === 'recover' ? ` It had already recovered ${recoveries} times (--max-recoveries ${config.maxRecoveries}).` : ''),
          {
            hint: bestEpoch !== null ? `The best checkpoint (epoch ${bestEpoch}) is kept. Try a lower --lr, --clip norm, or --on-diverge recover.` : 'Try a lower --lr, --clip norm, or --on-diverge recover.',
            // the epoch's step norms up to the explosion, so the run can still be diagnosed and advised on
            details: { epoch, step: divergence.step, reason: divergence.reason, stepNorms: norms, divergedNorm: Number.isFinite(divergence.norm) ? divergence.norm : null },
          },
        ).toData()
        writeTransaction(db, () => finishRun(db, runId, 'diverged', { error }))
        return { status: 'diverged', error }
      }
      // roll back to the last good state, then halve the learning rate and the clip threshold
      model.setWeights(lastGood.weights)
      await trainer.setOptimizerState(lastGood.optimizer)
      trainer.setClipHistory(lastGood.clipHistory)
      tunables.lr /= 2
      if (tunables.clip === 'auto') {
        // AutoClip's analogue of halving the threshold: a lower percentile of the same history
        tunables.clipPercentile /= 2
      } else if (tunables.clip === 'none') {
        const sorted = Float64Array.from(healthyNorms).sort()
        const median = quantile(sorted, 0.5)
        tunables.clip = 'norm'
        tunables.clipThreshold = median > 0 && Number.isFinite(median) ? median : 1
      } else {
        tunables.clipThreshold /= 2
      }
      trainer.setLearningRate(tunables.lr)
      trainer.setClip(tunables.clip, tunables.clipThreshold, tunables.clipPercentile)
      recoveries++
      const recovery: Recovery = { epoch, step: divergence.step, reason: divergence.reason, lr: tunables.lr, clipThreshold: tunables.clip === 'auto' ? null : tunables.clipThreshold }
      writeTransaction(db, () => insertRecovery(db, runId, recovery))
      events.recovered(recovery)
      // the epoch starts over from the rolled-back state
      epoch = lastGood.epoch
      continue
    }

    const trainLoss = norms.length ? lossSum / norms.length : NaN
    const score = valLoss ?? trainLoss
    const layerNorms: Record<string, number> = {}
    for (const [key, sum] of Object.entries(layerSums)) layerNorms[key] = sum / norms.length
    const record: EpochRecord = {
      epoch,
      trainLoss,
      valLoss,
      gradNorm: gradNormStats(norms),
      clippedFraction: norms.length ? clippedSteps / norms.length : 0,
      lr: tunables.lr,
      clipThreshold: tunables.clip === 'none' ? null : tunables.clip === 'auto' ? stepThreshold : tunables.clipThreshold,
      seconds: (performance.now() - started) / 1000,
      layerNorms,
      stepNorms: norms,
    }
    // NaN never ranks best: a comparison with NaN is false
    const improved = Number.isFinite(score) && score < bestValLoss
    const weights = await model.readWeights()
    const optimizer = await trainer.getOptimizerState()
    const clipHistory = trainer.getClipHistory()
    const checkpointInput = { epoch, weights, optimizer: optimizer as OptimizerSnapshot, config: effectiveConfig(), scaler: data.scaler, clipHistory: tunables.clip === 'auto' ? clipHistory : null }
    try {
      writeTransaction(db, () => {
        insertEpoch(db, runId, record)
        writeCheckpoint(db, runId, 'last', checkpointInput)
        if (improved) {
          writeCheckpoint(db, runId, 'best', checkpointInput)
          setBest(db, runId, epoch, score)
        }
      })
    } catch (error) {
      if (!(error instanceof ClipcastError) || (error.code !== 'WORKSPACE_WRITE' && error.code !== 'WORKSPACE_BUSY')) throw error
      // docs/reliability.md, case 5: nothing of this epoch was committed and the previous checkpoint stands;
      // the run stops (resumable) with the reason, rather than failing
      const data = error.toData()
      try {
        writeTransaction(db, () => finishRun(db, runId, 'stopped', { error: data }))
      } catch {
        // the workspace refuses even this small write; the host marks the run when the worker ends
      }
      return { status: 'stopped', error: data }
    }
    if (improved) {
      bestValLoss = score
      bestEpoch = epoch
    }
    lastGood = { epoch, weights, optimizer, clipHistory }
    events.epoch(record)
    if (config.patience > 0 && bestEpoch !== null && epoch - bestEpoch >= config.patience) break
  }

  // EVALUATION HOOK: the finished run is scored on the test split here (src/core/eval/evaluate.ts):
  // metrics and baselines of the best checkpoint in original units, plus its scaled test loss.
  await keepStartUnlessBeaten(db, runId, { ...ctx, season: seasonOf(config, data), meanLoss: (starts) => meanLoss(trainer, spec, data, series, starts, evalBatch(config)) }, (warning) => events.warning?.(warning))
  const scored = loadBestWeights(db, runId, ctx, events)
  const testLoss = await testLossOf(ctx)
  const { metrics, baselines } = scored ? await evaluateFinishedRun(db, runId, model, data, series, config, (warning) => events.warning?.(warning)) : { metrics: undefined, baselines: undefined }
  writeTransaction(db, () => finishRun(db, runId, 'completed', { metrics: { ...metrics, testLoss }, baselines }))
  return { status: 'completed' }
}

/**
 * Puts the best checkpoint's weights (or `last`, when `best` is corrupt) into the model, read
 * once for both the test loss and the evaluation. False when the run has no test windows or no
 * checkpoint: then nothing is evaluated.
 */
function loadBestWeights(db: Db, runId: number, ctx: LoopContext, events: SessionEvents): boolean {
  if (ctx.data.split.test.length === 0) return false
  const hasCheckpoint = (db.prepare('SELECT count(*) AS n FROM checkpoints WHERE run_id = ?').get(runId) as { n: number }).n > 0
  if (!hasCheckpoint) return false
  const { checkpoint, warnings } = readCheckpointWithFallback(db, runId, 'best')
  warnings.forEach((w) => events.warning?.(w))
  ctx.model.setWeights(checkpoint.weights)
  return true
}

/** The scaled test loss of the model's current weights; null when there are no test windows. */
async function testLossOf(ctx: LoopContext): Promise<number | null> {
  const { data, spec, series, trainer, config } = ctx
  if (data.split.test.length === 0) return null
  const loss = await meanLoss(trainer, spec, data, series, data.split.test, evalBatch(config))
  return Number.isFinite(loss) ? loss : null
}
