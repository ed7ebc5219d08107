import type { EpochRecord, Recovery, Warning } from '../../shared/api'
import { hasErrorCode, type ErrorData } from '../../shared/errors'
import type { RunConfig, RunStatus } from '../../shared/run-config'
import { seriesFor } from '../data/batches'
import { modelSpecFor, planTrainingData, type TrainingData } from '../data/training-data'
import { createModel, type ConvLstmModel } from '../model/convlstm'
import { hasCheckpoint, readCheckpointWithFallback, type Checkpoint, type OptimizerSnapshot } from '../store/checkpoints'
import { commitEpoch, deleteEpochs, readRunScaler, saveRunScaler } from '../store/run-progress'
import { finishRun, getRunSummary, insertRecovery, listRecoveries } from '../store/runs'
import { replaceTestHalfWidths } from '../store/test-half-widths'
import { writeTransaction, type Db } from '../store/workspace'
import { evaluateFinishedRun, seasonOf } from '../eval/evaluate'
import type { ProgressEvent, TrainingContext } from './epoch'
import { divergenceError, tunablesOf, type Tunables } from './guard'
import { createRunTrainer, trainEpochs, type FinishedEpoch, type LoopEnd } from './loop'
import { assertRunFits } from './memory-budget'
import { evalBatch, meanLoss } from './scoring'
import { stopIfResumable, storingWarnings } from './session-guards'
import type { OptimizerState, Trainer } from './step'
import { recordStartingPoint, startMessage, warmStartHighway } from './warm-start'
import { keepStartUnlessBeaten } from './start-guard'

export interface SessionEvents {
  progress(event: ProgressEvent): void
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

/** A run's model in training, with what the session reads and writes about it. */
interface RunContext extends TrainingContext {
  db: Db
  runId: number
  events: SessionEvents
  checkpoint: Checkpoint | null
}

/**
 * Trains (or resumes) one run to its end inside the calling thread: epochs of seeded,
 * shuffled batches; the divergence guard at every step; each epoch's metrics and its
 * `last` (and, when it improved, `best`) checkpoint committed in one transaction. Ends the
 * run's row with its final status. The worker calls this; tests may call it in-process.
 */
export async function trainRun(options: SessionOptions): Promise<SessionResult> {
  const { db, runId } = options
  const events = storingWarnings(db, runId, options.events)
  const config = getRunSummary(db, runId).config
  const checkpoint = options.resume ? resumeCheckpoint(db, runId, events) : null
  const data = runData(db, runId, config, checkpoint, options.resume, events)
  const spec = modelSpecFor(config, data)
  // refused before any tensor exists, with the estimate and what to lower
  assertRunFits(spec, config.batch, evalBatch(config))
  const series = seriesFor(db, data)
  const tunables = tunablesOf(checkpoint?.config ?? config)
  let model: ConvLstmModel | undefined
  let trainer: Trainer | undefined
  try {
    model = createModel(spec)
    // a fresh model with a highway starts at the linear baseline (or the naive forecast)
    const start = checkpoint ? null : await warmStartHighway(model, data, series, seasonOf(config, data))
    if (start) events.warning?.({ code: 'WARM_START', message: startMessage(start) })
    if (checkpoint) {
      model.setWeights(checkpoint.weights)
      // epochs after the checkpoint (possible only after falling back from a corrupt `last`) are redone
      deleteEpochs(db, runId, checkpoint.epoch)
    } else if (options.resume) {
      deleteEpochs(db, runId)
    }
    trainer = createRunTrainer(model, config, tunables)
    if (checkpoint?.optimizer) await trainer.setOptimizerState(checkpoint.optimizer as OptimizerState)
    if (checkpoint?.clipHistory) trainer.setClipHistory(checkpoint.clipHistory)
    const ctx: RunContext = { db, runId, events, checkpoint, config, data, spec, series, model, trainer }
    if (start) await recordStartingPoint(db, runId, { model, trainer, spec, data, series, config, meanLoss: (starts) => meanLoss(trainer!, spec, data, series, starts, evalBatch(config)) })
    events.ready?.({
      trainWindows: data.split.train.length,
      valWindows: data.split.val.length,
      testWindows: data.split.test.length,
      stepsPerEpoch: Math.ceil(data.split.train.length / config.batch),
      totalEpochs: config.epochs,
    })
    try {
      return await trainAndFinish(ctx, options, tunables)
    } catch (error) {
      return stopIfResumable(db, runId, error)
    }
  } finally {
    trainer?.dispose()
    model?.dispose()
  }
}

/** The `last` checkpoint a resume continues from (or `best`, when `last` is corrupt); null when the run has none yet. */
function resumeCheckpoint(db: Db, runId: number, events: SessionEvents): Checkpoint | null {
  if (!hasCheckpoint(db, runId)) return null
  const { checkpoint, warnings } = readCheckpointWithFallback(db, runId, 'last')
  warnings.forEach((w) => events.warning?.(w))
  return checkpoint
}

/** The run's data plan: a resumed run keeps the scaler it first fitted; a new one stores the scaler it fits now. */
function runData(db: Db, runId: number, config: RunConfig, checkpoint: Checkpoint | null, resume: boolean, events: SessionEvents): TrainingData {
  const storedScaler = checkpoint?.scaler ?? (resume ? readRunScaler(db, runId) : undefined)
  const data = planTrainingData(db, config, storedScaler)
  data.warnings.forEach((w) => events.warning?.(w))
  if (!storedScaler) saveRunScaler(db, runId, data.scaler)
  return data
}

async function trainAndFinish(ctx: RunContext, options: SessionOptions, tunables: Tunables): Promise<SessionResult> {
  const { db, runId } = ctx
  const run = getRunSummary(db, runId)
  const end = await trainEpochs(
    ctx,
    { epoch: ctx.checkpoint?.epoch ?? 0, tunables, bestEpoch: run.bestEpoch, bestScore: run.bestValLoss ?? Infinity, recoveries: listRecoveries(db, runId).length },
    {
      stopRequested: options.stopRequested,
      progressEvery: options.progressEvery,
      progress: (event) => ctx.events.progress(event),
      recovered: (recovery) => {
        writeTransaction(db, () => insertRecovery(db, runId, recovery))
        ctx.events.recovered(recovery)
      },
      commit: (epoch) => commitRunEpoch(ctx, epoch),
    },
  )
  return endRun(ctx, end)
}

/** Commits the epoch and tells the host; a workspace that refuses the write stops the run, resumable. */
function commitRunEpoch(ctx: RunContext, epoch: FinishedEpoch): LoopEnd | void {
  const { db, runId, config, data } = ctx
  const { state, tunables } = epoch
  const checkpoint = {
    epoch: state.epoch,
    weights: state.weights,
    optimizer: state.optimizer as OptimizerSnapshot,
    config: { ...config, ...tunables },
    scaler: data.scaler,
    clipHistory: tunables.clip === 'auto' ? state.clipHistory : null,
  }
  try {
    commitEpoch(db, runId, { record: epoch.record, checkpoint, bestScore: epoch.improved ? epoch.score : null })
  } catch (error) {
    if (!hasErrorCode(error, 'WORKSPACE_WRITE', 'WORKSPACE_BUSY')) throw error
    // docs/reliability.md, case 5: nothing of this epoch was committed and the previous checkpoint stands;
    // the run stops (resumable) with the reason, rather than failing
    return { status: 'stopped', error: error.toData() }
  }
  ctx.events.epoch(epoch.record)
}

/** Writes the run's final status: stopped, diverged, or completed with its evaluation. */
async function endRun(ctx: RunContext, end: LoopEnd): Promise<SessionResult> {
  const { db, runId, config } = ctx
  if (end.status === 'stopped') {
    if (!end.error) {
      writeTransaction(db, () => finishRun(db, runId, 'stopped'))
      return { status: 'stopped' }
    }
    try {
      writeTransaction(db, () => finishRun(db, runId, 'stopped', { error: end.error }))
    } catch {
      // the workspace refuses even this small write; the host marks the run when the worker ends
    }
    return { status: 'stopped', error: end.error }
  }
  if (end.status === 'diverged') {
    const error = divergenceError(runId, config, end)
    writeTransaction(db, () => finishRun(db, runId, 'diverged', { error }))
    return { status: 'diverged', error }
  }
  // EVALUATION HOOK: the finished run is scored on the test split here (src/core/eval/evaluate.ts):
  // metrics and baselines of the best checkpoint in original units, plus its scaled test loss.
  const { data } = ctx
  const best = await keepStartUnlessBeaten(db, runId, { ...ctx, season: seasonOf(config, data), meanLoss: (starts) => meanLoss(ctx.trainer, ctx.spec, data, ctx.series, starts, evalBatch(config)) }, (warning) => ctx.events.warning?.(warning))
  const scored = loadBestWeights(ctx, best)
  const testLoss = await testLossOf(ctx)
  const { metrics, baselines, halfWidth } = scored ? await evaluateFinishedRun(db, runId, ctx.model, ctx.data, ctx.series, config, (warning) => ctx.events.warning?.(warning)) : { metrics: undefined, baselines: undefined, halfWidth: undefined }
  const levels = metrics?.intervals?.levels
  const stored = scored && halfWidth && levels ? { epoch: scored.epoch, checkpointSha256: scored.sha256, levels, windows: data.split.test.length, cells: data.horizon * data.targets.length, halfWidth } : undefined
  writeTransaction(db, () => {
    finishRun(db, runId, 'completed', { metrics: { ...metrics, testLoss }, baselines })
    replaceTestHalfWidths(db, runId, stored)
  })
  return { status: 'completed' }
}

/**
 * Puts the best checkpoint's weights (or `last`, when `best` is corrupt) into the model, read
 * once for both the test loss and the evaluation (`known`: as keepStartUnlessBeaten read or
 * wrote it, so it is not read and decoded again); returns that checkpoint. Undefined when the
 * run has no test windows or no checkpoint: then nothing is evaluated.
 */
function loadBestWeights(ctx: RunContext, known?: { checkpoint: Checkpoint; warnings: Warning[] }): Checkpoint | undefined {
  const { db, runId } = ctx
  if (ctx.data.split.test.length === 0) return undefined
  if (!known && !hasCheckpoint(db, runId)) return undefined
  const { checkpoint, warnings } = known ?? readCheckpointWithFallback(db, runId, 'best')
  warnings.forEach((w) => ctx.events.warning?.(w))
  ctx.model.setWeights(checkpoint.weights)
  return checkpoint
}

/** The scaled test loss of the model's current weights; null when there are no test windows. */
async function testLossOf(ctx: RunContext): Promise<number | null> {
  const { data, spec, series, trainer, config } = ctx
  if (data.split.test.length === 0) return null
  const loss = await meanLoss(trainer, spec, data, series, data.split.test, evalBatch(config))
  return Number.isFinite(loss) ? loss : null
}
