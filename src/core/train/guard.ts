import type { RunConfig } from '../../shared/run-config'
import { ClipcastError, type ErrorData } from '../../shared/errors'
import type { ClipMode } from './clipping'
import { percentileOfSorted } from '../stats'
import type { StepResult } from './step'

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

/** Tunables the guard may change during a run; stored in every checkpoint's config. */
export interface Tunables {
  lr: number
  clip: ClipMode
  clipThreshold: number
  clipPercentile: number
}

export function tunablesOf(config: Pick<RunConfig, 'lr' | 'clip' | 'clipThreshold' | 'clipPercentile'>): Tunables {
  return { lr: config.lr, clip: config.clip, clipThreshold: config.clipThreshold, clipPercentile: config.clipPercentile }
}

/**
 * After a divergence: halve the learning rate and the clip threshold. With AutoClip, halve
 * its percentile instead (a lower percentile of the same history); with clipping off, turn
 * norm clipping on at the median healthy pre-clip norm (1 when there is none).
 */
export function tunablesAfterDivergence(current: Tunables, healthyNorms: readonly number[]): Tunables {
  const next = { ...current, lr: current.lr / 2 }
  if (current.clip === 'auto') return { ...next, clipPercentile: current.clipPercentile / 2 }
  if (current.clip !== 'none') return { ...next, clipThreshold: current.clipThreshold / 2 }
  // NaN without healthy norms: then 1
  const median = percentileOfSorted(Float64Array.from(healthyNorms).sort(), 50, 'linear')
  return { ...next, clip: 'norm', clipThreshold: median > 0 && Number.isFinite(median) ? median : 1 }
}

/** Where and why an epoch diverged. `step` counts from 1. */
export interface Divergence {
  step: number
  reason: string
  norm?: number
}

/** The guard's verdict on one step: a non-finite loss or gradient, or a loss past the spike limit; null when healthy. */
export function stepDivergence(result: Pick<StepResult, 'finite' | 'spike' | 'loss' | 'preClipNorm'>, bestStepLoss: number, step: number): Divergence | null {
  if (result.finite && !result.spike) return null
  return {
    step,
    norm: result.preClipNorm,
    reason: !result.finite
      ? `non-finite ${Number.isFinite(result.loss) ? 'gradient' : 'loss'} (loss ${result.loss}, pre-clip norm ${result.preClipNorm})`
      : `loss ${result.loss.toPrecision(4)} above ${spikeLimit(bestStepLoss).toPrecision(4)} (${LOSS_SPIKE_FACTOR} × the best step loss ${bestStepLoss.toPrecision(4)}, at least ${MIN_SPIKE_LOSS})`,
  }
}

/** A run that diverged and may not (or may no longer) recover: RUN_DIVERGED, with the epoch's step norms for diagnosis. */
export function divergenceError(
  runId: number,
  config: Pick<RunConfig, 'onDiverge' | 'maxRecoveries'>,
  end: { epoch: number; divergence: Divergence; stepNorms: number[]; recoveries: number; bestEpoch: number | null },
): ErrorData {
  const { epoch, divergence, recoveries, bestEpoch } = end
  return new ClipcastError(
    'RUN_DIVERGED',
    `Run ${runId} diverged at epoch ${epoch}, step ${divergence.step}: ${divergence.reason}.` +
      (config.onDiverge === 'recover' ? ` It had already recovered ${recoveries} times, the most its settings allow (${config.maxRecoveries}).` : ''),
    {
      hint: `${bestEpoch !== null ? `The best checkpoint (epoch ${bestEpoch}) is kept. ` : ''}Try a lower {lr}, set {clip} to norm, or set {onDiverge} to recover.`,
      // the epoch's step norms up to the explosion, so the run can still be diagnosed and advised on
      details: { epoch, step: divergence.step, reason: divergence.reason, stepNorms: end.stepNorms, divergedNorm: Number.isFinite(divergence.norm) ? divergence.norm : null, settings: ['lr', 'clip', 'onDiverge'] },
    },
  ).toData()
}
