import type { ClipSuggestion, EpochRecord } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import { percentileOfSorted } from '../stats'
import { autoClipThresholds } from './autoclip'

/** A step whose norm is above this many times the run's median norm is a burst, not a healthy step (Pascanu et al. put a threshold at 5–10× the average). */
export const BURST_FACTOR = 10
/** AutoClip's set-and-forget percentile (Seetharaman et al.). */
export const AUTOCLIP_PERCENTILE = 10
/** The fixed threshold clips the top tenth of the healthy steps, and every burst. */
export const HEALTHY_PERCENTILE = 90
/** From this share of clipped steps on, a fixed threshold sits below the typical norm. */
const OVERCLIPPED_SHARE = 0.9

/** Where a diverged run stopped: the step norms of its last, uncommitted epoch up to the explosion. */
export interface Divergence {
  epoch: number
  step: number
  /** The healthy steps' norms of that epoch before the explosion. */
  stepNorms: number[]
  /** The exploding step's pre-clip norm; null when it was not finite. */
  divergedNorm: number | null
}

/** Every recorded pre-clip step norm of the run, in order (finite ones only), the diverging epoch's last. */
export function runStepNorms(epochs: readonly EpochRecord[], divergence?: Divergence | null): number[] {
  const tail = divergence ? [...divergence.stepNorms, ...(divergence.divergedNorm === null ? [] : [divergence.divergedNorm])] : []
  return [...epochs.flatMap((e) => e.stepNorms ?? []), ...tail].filter((n) => Number.isFinite(n))
}

const sortedCopy = (values: readonly number[]) => Float64Array.from(values).sort()
const percent = (share: number) => `${Math.round(share * 100)}%`
export const formatNorm = (value: number) => String(Number(value.toPrecision(3)))

/**
 * Two thresholds from the run's own step norms: AutoClip at p10 (replayed over the recorded
 * norms, so the share is the steps it would have clipped), and a fixed global norm at the 90th
 * percentile of the healthy steps. Recorded norms are those of the run as it was clipped, so
 * the shares are what the threshold would have done to these gradients, not a new run's.
 * NO_STEP_NORMS when the run recorded none (it finished no epoch, or predates per-step norms).
 */
export function suggestClipping(runId: number, epochs: readonly EpochRecord[], divergence?: Divergence | null): ClipSuggestion[] {
  const norms = runStepNorms(epochs, divergence)
  if (norms.length === 0) {
    throw new ClipcastError('NO_STEP_NORMS', `Run ${runId} has no recorded step norms to suggest a threshold from.`, {
      hint: 'Train at least one epoch; runs trained before per-step norms were kept have none.',
    })
  }
  // the step a run diverged at is a burst by definition, whatever its size against so few others
  const candidates = divergence && divergence.divergedNorm !== null ? norms.slice(0, -1) : norms
  const sorted = sortedCopy(candidates.length > 0 ? candidates : norms)
  const median = percentileOfSorted(sorted, 50, 'linear')
  const thresholds = autoClipThresholds(norms, AUTOCLIP_PERCENTILE)
  const autoShare = norms.filter((n, k) => Math.fround(n) > thresholds[k]!).length / norms.length
  const autoEnd = thresholds[thresholds.length - 1]!
  const healthy = sorted.filter((n) => n <= BURST_FACTOR * median)
  const bursts = norms.length - healthy.length
  const fixed = percentileOfSorted(healthy, HEALTHY_PERCENTILE, 'linear')
  const fixedShare = norms.filter((n) => n > fixed).length / norms.length
  return [
    {
      mode: 'auto',
      threshold: autoEnd,
      percentile: AUTOCLIP_PERCENTILE,
      clippedShare: autoShare,
      why: `AutoClip clips each step at the ${AUTOCLIP_PERCENTILE}th percentile of the global norms so far; replayed on this run's ${norms.length} step norms it ends at ${formatNorm(autoEnd)} and would have clipped ${percent(autoShare)} of the steps.`,
      config: { clip: 'auto', clipPercentile: AUTOCLIP_PERCENTILE },
    },
    {
      mode: 'norm',
      threshold: fixed,
      percentile: HEALTHY_PERCENTILE,
      clippedShare: fixedShare,
      why: `A global norm of ${formatNorm(fixed)}, the ${HEALTHY_PERCENTILE}th percentile of the ${healthy.length} healthy steps (at most ${BURST_FACTOR}× the median norm ${formatNorm(median)}` +
        `${bursts > 0 ? `; ${bursts} ${bursts === 1 ? 'burst' : 'bursts'} above` : ''}), would have clipped ${percent(fixedShare)} of this run's steps.`,
      config: { clip: 'norm', clipThreshold: fixed },
    },
  ]
}

/** Each layer-gate (and the head) with its share of the squared gradient norm of one epoch, largest first. */
export function gateShares(layerNorms: Readonly<Record<string, number>>): Array<{ key: string; label: string; share: number }> {
  const parts = Object.entries(layerNorms).filter(([key]) => /^layer\d+\/[ifgo]$/.test(key) || key === 'head')
  // the squared norms of disjoint parts add up to the squared global norm, so squares are what is shared
  const total = parts.reduce((sum, [, norm]) => sum + norm * norm, 0)
  if (!(total > 0)) return []
  return parts
    .map(([key, norm]) => ({ key, label: partLabel(key), share: (norm * norm) / total }))
    .sort((a, b) => b.share - a.share)
}

function partLabel(key: string): string {
  const match = /^layer(\d+)\/([ifgo])$/.exec(key)
  return match ? `gate ${match[2]} of layer ${match[1]}` : 'the head'
}

/** Where the norm sits: the largest part in the epoch whose mean norm peaked. */
function whereClause(epochs: readonly EpochRecord[]): string | null {
  const peak = epochs.reduce((best, e) => (e.gradNorm.mean > best.gradNorm.mean ? e : best))
  const [top] = gateShares(peak.layerNorms ?? {})
  return top ? `${top.label} carries ${percent(top.share)} of the gradient norm in epoch ${peak.epoch}` : null
}

function clipClause(epochs: readonly EpochRecord[], config: Pick<RunConfig, 'clip' | 'clipPercentile'>): string {
  const norms = runStepNorms(epochs)
  const sorted = sortedCopy(norms)
  const median = percentileOfSorted(sorted, 50, 'linear')
  const burst = sorted.length > 0 && median > 0 ? sorted[sorted.length - 1]! / median : NaN
  if (config.clip === 'none') {
    return burst > BURST_FACTOR
      ? `clipping is off and step norms reached ${Math.round(burst)}× their median: gradients explode in bursts, so clip at a suggested threshold`
      : `clipping is off and step norms stayed within ${formatNorm(burst)}× their median`
  }
  const weights = epochs.map((e) => e.stepNorms?.length ?? 1)
  const steps = weights.reduce((a, b) => a + b, 0)
  const share = epochs.reduce((sum, e, k) => sum + e.clippedFraction * weights[k]!, 0) / steps
  const threshold = epochs[epochs.length - 1]!.clipThreshold
  if (share === 0) return 'no step reached the threshold: clipping never acted'
  if (config.clip === 'auto') return `AutoClip at p${config.clipPercentile} clipped ${percent(share)} of steps and ended at ${formatNorm(threshold ?? NaN)}`
  if (config.clip === 'value') return `${percent(share)} of steps had elements clamped at ±${formatNorm(threshold ?? NaN)}`
  if (share >= OVERCLIPPED_SHARE) return `${percent(share)} of steps were clipped, so the threshold sits far below the typical norm and slows learning`
  return `${percent(share)} of steps were clipped at ${formatNorm(threshold ?? NaN)} (median norm ${formatNorm(median)}), so clipping trims the bursts and leaves typical steps alone`
}

function divergenceClause(divergence: Divergence, config: Pick<RunConfig, 'clip'>): string {
  const median = percentileOfSorted(sortedCopy(divergence.stepNorms), 50, 'linear')
  const at = `the run diverged at epoch ${divergence.epoch}, step ${divergence.step}`
  const norm = divergence.divergedNorm === null
    ? ' with a non-finite gradient'
    : ` at a pre-clip norm of ${formatNorm(divergence.divergedNorm)}${median > 0 ? ` (${formatNorm(divergence.divergedNorm / median)}× the median of the ${divergence.stepNorms.length} steps before)` : ''}`
  const clip = config.clip === 'none' ? 'clipping was off, so nothing held that step back' : 'clipping did not hold it back, so lower the learning rate or the threshold'
  return `${at}${norm}: ${clip}`
}

/** One sentence on a run's gradients: where the norm sits and what clipping did to it (or how the run diverged). */
export function diagnoseGradients(epochs: readonly EpochRecord[], config: Pick<RunConfig, 'clip' | 'clipPercentile'>, divergence?: Divergence | null): string {
  if (epochs.length === 0 && !divergence) return 'No epoch has finished yet, so there are no gradient norms to read.'
  const last = divergence ? divergenceClause(divergence, config) : clipClause(epochs, config)
  const clauses = [epochs.length > 0 ? whereClause(epochs) : null, last].filter((c): c is string => c !== null)
  const sentence = clauses.join('; ')
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`
}
