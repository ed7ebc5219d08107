import { ClipcastError } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'

/** Everything that fixes the model's architecture and its initial weights. */
export interface ModelSpec {
  layout: 'subseq' | 'grid'
  /**
   * Per-sample input shape after layout: [time, rows, cols, channels];
   * subseq: [nSeq, 1, nSteps, vars]; grid: [lookback, H, W, features].
   */
  inputShape: [number, number, number, number]
  layers: number
  filters: number
  kernel: number
  norm: 'none' | 'layer'
  init: 'glorot' | 'he' | 'orthogonal'
  /** The head outputs horizon × targets values per sample. */
  horizon: number
  targets: number
  seed: number
  /** A linear map from the whole input window to the head's outputs, added to them (LSTNet's highway); absent = off. */
  highway?: boolean
  /**
   * Recursive head (subseq layout): the head predicts one step of every target, which is
   * written into the window's next row (at these input columns; the other columns keep their
   * last value) for the next step, `horizon` times. Absent: the direct head.
   */
  recursive?: { targetColumns: number[] }
}

export interface GridShape {
  rows: number
  cols: number
  features: number
}

/**
 * The model spec of a run. `variables` is the number of input columns (subseq layout);
 * `grid` is required for the grid layout. With no targets named, every input column is a
 * target (for a grid: every cell of every feature).
 */
export function modelSpecFromConfig(config: RunConfig, variables: number, grid?: GridShape, targetColumns?: number[]): ModelSpec {
  let inputShape: ModelSpec['inputShape']
  let inputColumns: number
  if (config.layout === 'subseq') {
    if (!Number.isInteger(variables) || variables < 1) {
      throw new ClipcastError('INVALID_CONFIG', `The subseq layout needs at least one input variable; got ${variables}.`, {
        hint: 'Choose a dataset with at least one numeric column.',
      })
    }
    const { nSeq, nSteps } = chooseSubseq(config.lookback, config.subseq)
    inputShape = [nSeq, 1, nSteps, variables]
    inputColumns = variables
  } else {
    if (grid === undefined) {
      throw new ClipcastError('INVALID_CONFIG', 'The grid layout needs the grid shape (rows, cols, features) of the dataset.', {
        hint: 'Name the columns like temp[2,3] so they map to grid cells, or set {layout} to subseq.',
        details: { settings: ['layout'] },
      })
    }
    inputShape = [config.lookback, grid.rows, grid.cols, grid.features]
    inputColumns = grid.rows * grid.cols * grid.features
  }
  return {
    layout: config.layout,
    inputShape,
    layers: config.layers,
    filters: config.filters,
    kernel: config.kernel,
    norm: config.norm,
    init: config.init,
    horizon: config.horizon,
    targets: config.targets.length > 0 ? config.targets.length : inputColumns,
    seed: config.seed,
    highway: config.highway === 'on',
    ...(config.head === 'recursive' ? { recursive: recursiveHead(config, inputColumns, targetColumns) } : {}),
  }
}

function recursiveHead(config: RunConfig, inputColumns: number, targetColumns: number[] | undefined): { targetColumns: number[] } {
  if (config.layout !== 'subseq') {
    throw new ClipcastError('INVALID_CONFIG', 'The recursive head works with the subseq layout only.', { hint: 'Set {head} to direct for the grid layout.', details: { settings: ['head'] } })
  }
  return { targetColumns: targetColumns ?? Array.from({ length: config.targets.length > 0 ? config.targets.length : inputColumns }, (_, k) => k) }
}

/**
 * Cuts a lookback of L steps into nSeq sub-sequences of nSteps (L = nSeq·nSteps). By default
 * nSeq is the divisor of L nearest to √L, so
 * the convolution along time and the recurrence across sub-sequences get similar lengths.
 */
export function chooseSubseq(lookback: number, requested?: number): { nSeq: number; nSteps: number } {
  if (!Number.isInteger(lookback) || lookback < 1) {
    throw new ClipcastError('INVALID_CONFIG', `The lookback must be a positive whole number of steps; got ${lookback}.`, {
      hint: 'Set {lookback} to a whole number such as 48.',
      details: { settings: ['lookback'] },
    })
  }
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || lookback % requested !== 0) {
      throw new ClipcastError('INVALID_CONFIG', `${requested} sub-sequences do not divide the lookback of ${lookback} steps.`, {
        hint: `Choose a divisor of ${lookback}: ${divisors(lookback).join(', ')}; or leave {subseq} out to pick one near √${lookback}.`,
        details: { lookback, subseq: requested, settings: ['subseq'] },
      })
    }
    return { nSeq: requested, nSteps: lookback / requested }
  }
  const root = Math.sqrt(lookback)
  let best = 1
  for (const d of divisors(lookback)) {
    if (Math.abs(d - root) <= Math.abs(best - root)) best = d
  }
  return { nSeq: best, nSteps: lookback / best }
}

function divisors(n: number): number[] {
  const out: number[] = []
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d)
  return out
}
