import type { EpochRecord, Recovery } from '../../shared/api'
import type { ErrorData } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import type { ConvLstmModel } from '../model/convlstm'
import type { NormHistoryState } from './autoclip'
import { epochRecord, runEpoch, type EpochHooks, type GuardMemory, type TrainingContext } from './epoch'
import { tunablesAfterDivergence, type Divergence, type Tunables } from './guard'
import { evalBatch, meanLoss } from './scoring'
import { createTrainer, type OptimizerState, type Trainer } from './step'

/** Weights and optimizer slots in memory: what a recovery rolls back to. */
export interface Snapshot {
  epoch: number
  weights: Map<string, Float32Array>
  optimizer: OptimizerState
  clipHistory: NormHistoryState
}

/** A healthy epoch, ready to commit: its row, the state after it, and whether its score is the best so far. */
export interface FinishedEpoch {
  record: EpochRecord
  state: Snapshot
  tunables: Tunables
  improved: boolean
  /** The validation loss, or the training loss without validation windows. */
  score: number
}

export interface LoopHooks extends EpochHooks {
  /** After the guard rolled back and lowered the learning rate or the clip threshold. */
  recovered(recovery: Recovery): void
  /** Keeps a healthy epoch (a run: one transaction; a backtest fold: the best weights in memory); a returned end stops the loop. */
  commit(epoch: FinishedEpoch): LoopEnd | void
}

/** Where the loop starts: after `epoch` (0 for a new model), with the tunables, best score and recoveries so far. */
export interface LoopStart {
  epoch: number
  tunables: Tunables
  bestEpoch: number | null
  bestScore: number
  recoveries: number
}

export type LoopEnd =
  | { status: 'completed'; bestEpoch: number | null }
  | { status: 'stopped'; error?: ErrorData }
  | { status: 'diverged'; epoch: number; divergence: Divergence; stepNorms: number[]; recoveries: number; bestEpoch: number | null }

/** A trainer for the run's config with the tunables in force. */
export function createRunTrainer(model: ConvLstmModel, config: RunConfig, tunables: Tunables): Trainer {
  return createTrainer(model, { loss: config.loss, optimizer: config.optimizer, l1: config.l1, l2: config.l2, seed: config.seed, ...tunables })
}

async function snapshot(ctx: TrainingContext, epoch: number): Promise<Snapshot> {
  return { epoch, weights: await ctx.model.readWeights(), optimizer: await ctx.trainer.getOptimizerState(), clipHistory: ctx.trainer.getClipHistory() }
}

/**
 * The training loop of every model Clipcast trains (a run, a backtest fold): epochs until
 * `config.epochs` or early stopping (`config.patience` epochs without a better score). A
 * divergence ends the loop `diverged` under `onDiverge: 'stop'` or once `maxRecoveries` are
 * spent; otherwise the model rolls back to the last good epoch, the guard lowers the
 * tunables (tunablesAfterDivergence) and that epoch starts over.
 */
export async function trainEpochs(ctx: TrainingContext, start: LoopStart, hooks: LoopHooks): Promise<LoopEnd> {
  const { config } = ctx
  let { tunables, bestEpoch, bestScore, recoveries } = start
  // the initial weights (or the resumed checkpoint) are the first good state to roll back to
  let lastGood = await snapshot(ctx, start.epoch)
  const guard: GuardMemory = { bestStepLoss: Infinity, healthyNorms: [] }
  for (let epoch = lastGood.epoch + 1; epoch <= config.epochs; epoch++) {
    const run = await runEpoch(ctx, epoch, guard, hooks)
    if (run.stopped) return { status: 'stopped' }
    const { valLoss, divergence } = await validate(ctx, run.divergence)
    if (divergence) {
      if (config.onDiverge === 'stop' || recoveries >= config.maxRecoveries) return { status: 'diverged', epoch, divergence, stepNorms: run.tally.norms, recoveries, bestEpoch }
      tunables = await rollBack(ctx, lastGood, tunablesAfterDivergence(tunables, guard.healthyNorms))
      recoveries++
      hooks.recovered({ epoch, step: divergence.step, reason: divergence.reason, lr: tunables.lr, clipThreshold: tunables.clip === 'auto' ? null : tunables.clipThreshold })
      // the epoch starts over from the rolled-back state
      epoch = lastGood.epoch
      continue
    }
    const record = epochRecord(epoch, run.tally, valLoss, tunables)
    const score = valLoss ?? record.trainLoss
    // NaN never ranks best: a comparison with NaN is false
    const improved = Number.isFinite(score) && score < bestScore
    const state = await snapshot(ctx, epoch)
    const end = hooks.commit({ record, state, tunables, improved, score })
    if (end) return end
    if (improved) {
      bestScore = score
      bestEpoch = epoch
    }
    lastGood = state
    if (config.patience > 0 && bestEpoch !== null && epoch - bestEpoch >= config.patience) break
  }
  return { status: 'completed', bestEpoch }
}

/** The validation loss of an epoch that trained through; a non-finite one is a divergence at its last step. */
async function validate(ctx: TrainingContext, divergence: Divergence | null): Promise<{ valLoss: number | null; divergence: Divergence | null }> {
  const { config, data, spec, series, trainer } = ctx
  if (divergence || data.split.val.length === 0) return { valLoss: null, divergence }
  const valLoss = await meanLoss(trainer, spec, data, series, data.split.val, evalBatch(config))
  if (Number.isFinite(valLoss)) return { valLoss, divergence: null }
  return { valLoss, divergence: { step: Math.ceil(data.split.train.length / config.batch), reason: `non-finite validation loss (${valLoss})` } }
}

/** Puts the last good state back and the new tunables into the trainer. */
async function rollBack(ctx: TrainingContext, lastGood: Snapshot, tunables: Tunables): Promise<Tunables> {
  ctx.model.setWeights(lastGood.weights)
  await ctx.trainer.setOptimizerState(lastGood.optimizer)
  ctx.trainer.setClipHistory(lastGood.clipHistory)
  ctx.trainer.setLearningRate(tunables.lr)
  ctx.trainer.setClip(tunables.clip, tunables.clipThreshold, tunables.clipPercentile)
  return tunables
}
