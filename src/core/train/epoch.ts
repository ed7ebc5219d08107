import type { EpochRecord } from '../../shared/api'
import type { RunConfig } from '../../shared/run-config'
import { batchArrays, batchTensors, shuffledOrder, type ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import type { ConvLstmModel } from '../model/convlstm'
import type { ModelSpec } from '../model/spec'
import { spikeLimit, stepDivergence, type Divergence, type Tunables } from './guard'
import { gradNormStats } from './norm-stats'
import type { StepResult, Trainer } from './step'

/** One model in training: its data plan, the model and its trainer, and the config's schedule. */
export interface TrainingContext {
  config: RunConfig
  data: TrainingData
  spec: ModelSpec
  series: ScaledSeries
  model: ConvLstmModel
  trainer: Trainer
}

export interface ProgressEvent {
  epoch: number
  totalEpochs: number
  step: number
  stepsPerEpoch: number
  loss: number
  gradNorms: number[]
}

export interface EpochHooks {
  /** Polled before every step; true ends the epoch at once, nothing of it applied past that step. */
  stopRequested(): boolean
  progress?(event: ProgressEvent): void
  /** Steps between progress events (default 10). */
  progressEvery?: number
}

/** What the guard remembers across epochs: the best healthy step loss and the recent healthy pre-clip norms. */
export interface GuardMemory {
  bestStepLoss: number
  healthyNorms: number[]
}

/** An epoch's step statistics as they accumulate. */
export interface EpochTally {
  startedMs: number
  norms: number[]
  layerSums: Record<string, number>
  lossSum: number
  clippedSteps: number
  /** The threshold of the epoch's last step (AutoClip's moves with the history). */
  stepThreshold: number | null
}

export type EpochRun = { stopped: true } | { stopped: false; tally: EpochTally; divergence: Divergence | null }

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * One epoch of seeded, shuffled batches with the divergence guard at every step: the trainer
 * refuses a spike before applying it, so the step that diverges never touches the weights,
 * and the epoch ends there with the reason.
 */
export async function runEpoch(ctx: TrainingContext, epoch: number, guard: GuardMemory, hooks: EpochHooks): Promise<EpochRun> {
  const { config, data, spec, series, trainer } = ctx
  const progressEvery = Math.max(1, hooks.progressEvery ?? 10)
  const stepsPerEpoch = Math.ceil(data.split.train.length / config.batch)
  const order = shuffledOrder(data.split.train, config.seed, epoch)
  const tally: EpochTally = { startedMs: performance.now(), norms: [], layerSums: {}, lossSum: 0, clippedSteps: 0, stepThreshold: null }
  let pendingNorms: number[] = []
  for (let step = 0; step < stepsPerEpoch; step++) {
    await yieldToEvents()
    if (hooks.stopRequested()) return { stopped: true }
    const part = order.subarray(step * config.batch, Math.min(order.length, (step + 1) * config.batch))
    const { x, y } = batchTensors(batchArrays(series, data, part), spec, data)
    let result: StepResult
    try {
      result = await trainer.step(x, y, Number.isFinite(guard.bestStepLoss) ? { maxLoss: spikeLimit(guard.bestStepLoss) } : {})
    } finally {
      x.dispose()
      y.dispose()
    }
    const divergence = stepDivergence(result, guard.bestStepLoss, step + 1)
    if (divergence) return { stopped: false, tally, divergence }
    addHealthyStep(tally, guard, result)
    pendingNorms.push(result.preClipNorm)
    if ((step + 1) % progressEvery === 0 || step + 1 === stepsPerEpoch) {
      hooks.progress?.({ epoch, totalEpochs: config.epochs, step: step + 1, stepsPerEpoch, loss: tally.lossSum / tally.norms.length, gradNorms: pendingNorms })
      pendingNorms = []
    }
  }
  return { stopped: false, tally, divergence: null }
}

function addHealthyStep(tally: EpochTally, guard: GuardMemory, result: StepResult): void {
  guard.bestStepLoss = Math.min(guard.bestStepLoss, result.loss)
  tally.norms.push(result.preClipNorm)
  guard.healthyNorms.push(result.preClipNorm)
  // bounded: the median a recovery clips at needs recent norms, not all of a long run's
  if (guard.healthyNorms.length > 20_000) guard.healthyNorms.splice(0, guard.healthyNorms.length - 10_000)
  tally.lossSum += result.loss
  if (result.clipped) tally.clippedSteps++
  tally.stepThreshold = result.clipThreshold
  for (const [key, value] of Object.entries(result.layerNorms)) tally.layerSums[key] = (tally.layerSums[key] ?? 0) + value
}

/** The epoch's row: means over its healthy steps, the tunables in force, its duration so far. */
export function epochRecord(epoch: number, tally: EpochTally, valLoss: number | null, tunables: Tunables): EpochRecord {
  const { norms } = tally
  const layerNorms: Record<string, number> = {}
  for (const [key, sum] of Object.entries(tally.layerSums)) layerNorms[key] = sum / norms.length
  return {
    epoch,
    trainLoss: norms.length ? tally.lossSum / norms.length : NaN,
    valLoss,
    gradNorm: gradNormStats(norms),
    clippedFraction: norms.length ? tally.clippedSteps / norms.length : 0,
    lr: tunables.lr,
    clipThreshold: tunables.clip === 'none' ? null : tunables.clip === 'auto' ? tally.stepThreshold : tunables.clipThreshold,
    seconds: (performance.now() - tally.startedMs) / 1000,
    layerNorms,
    stepNorms: norms,
  }
}
