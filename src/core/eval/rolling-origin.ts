import { evenlySpaced, gramRowLimit, ridgeColumns, ridgeFits, selectColumns, RELATIVE_PENALTIES } from './linear-baseline'
import { addRows, createGram, meanVariance, predictRidge, solveRidge, type Gram, type RidgeModel } from './ridge'
import { batchArrays, type ScaledSeries } from '../data/batches'
import type { FrameOffsets } from '../data/window-frame'
import type { TrainingData } from '../data/training-data'
import { linearStarts, meanStart, type LinearStart } from './linear-starts'

/**
 * The highway's starting point chosen on a rolling origin (Tashman 2000; FPP3 §5.10,
 * "evaluation on a rolling forecasting origin") over the training and validation windows,
 * never the test part: the later 60% of them are cut into consecutive blocks (foldCount), each
 * forecast by every candidate (naive, seasonal naive, drift, and a ridge per penalty fitted on
 * the windows whose targets end before the block's first target), scored by its mean absolute
 * error (the MASE the run is judged by is one). Many more forecasts decide than the validation
 * part alone holds (11–18 windows on a short series). The simplest candidate whose error is
 * within one standard error of the best one's is taken (the one-standard-error rule, Hastie,
 * Tibshirani & Friedman, ESL §7.10; the standard error from the best one's spread over the
 * blocks), in the order of SIMPLICITY: on a short or noisy history a ridge that wins by less
 * than the noise of the comparison gives way to the naive forecast. When candidates of more
 * than one kind (naive, seasonal naive, drift, ridge; each kind's simplest) are within that
 * standard error, the history cannot tell them apart, and the start is their equal-weight mean
 * (forecast combination, FPP3 §13.4; the mean's absolute error is at most the mean of theirs
 * on every window, by the triangle inequality). The chosen ridge is refitted on the training
 * windows.
 */
export interface RollingOriginChoice {
  chosen: LinearStart
  /** Relative penalty of the chosen ridge; null when a fixed forecast was chosen. */
  penalty: number | null
  /** Mean absolute error (model units) of each candidate over the rolling origins: 'linear' is the best penalty's. */
  errors: Record<string, number>
  folds: number
  /** The evaluation windows' starts, ascending. */
  windows: Int32Array
  /** The chosen candidate's absolute errors on `windows` in original units, [windows, horizon · targets]. */
  residuals: Float64Array
}

export const FOLDS = 5

/**
 * Blocks of `windows` consecutive windows for a standard error: at most `most`, each at least
 * `horizon` windows long, since windows closer than the horizon share targets and their errors
 * are not independent; 0 when fewer than two such blocks fit (too little evidence to compare).
 */
export function foldCount(windows: number, horizon: number, most = FOLDS): number {
  const blocks = Math.min(most, Math.floor(windows / Math.max(1, horizon)))
  return blocks >= 2 ? blocks : 0
}

// the first block starts after this share of the windows, so the first ridge has data to fit
const FIRST_FIT_SHARE = 0.4
/** Relative ridge penalties tried: the baseline's, and heavier ones that shrink towards a constant step. */
export const ROLLING_PENALTIES = [...RELATIVE_PENALTIES, 10, 100]
const BATCH = 256

type RollingData = Pick<TrainingData, 'lookback' | 'horizon' | 'targets' | 'targetColumns' | 'scales' | 'frame' | 'split'>

interface Candidate {
  name: LinearStart['name']
  penalty: number | null
  /** Over all variables (fixed forecasts) or over the ridge's columns. */
  model: RidgeModel | null
  absSum: number
  /** Mean absolute error per block. */
  blocks: number[]
  residuals: Float64Array
  /** Forecasts on the evaluation windows (model units), [windows, horizon · targets]. */
  predicted: Float64Array
}

/** Each evaluation window's targets (model units) and what turns an error there into original units (frame scale × std). */
interface Scored {
  targets: Float64Array
  units: Float64Array
}

/** Fixed forecasts from the simplest; ridges come after them, the heavier penalty first. */
const SIMPLICITY: Array<LinearStart['name']> = ['naive', 'seasonalNaive', 'drift']

/** Candidates in order of simplicity (see SIMPLICITY). */
function bySimplicity(a: Candidate, b: Candidate): number {
  if (a.penalty === null || b.penalty === null) return (a.penalty === null ? SIMPLICITY.indexOf(a.name) : 99) - (b.penalty === null ? SIMPLICITY.indexOf(b.name) : 99)
  return b.penalty - a.penalty
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length

/** The best mean block error plus one standard error of the best one's blocks. */
function withinOneStandardError<C extends { blocks: number[] }>(candidates: readonly C[]): number {
  const best = candidates.reduce((a, b) => (mean(b.blocks) < mean(a.blocks) ? b : a))
  const m = mean(best.blocks)
  const k = best.blocks.length
  return m + (k > 1 ? Math.sqrt(best.blocks.reduce((sum, e) => sum + (e - m) ** 2, 0) / (k - 1) / k) : 0)
}

/** The one-standard-error choice among candidates scored on the same blocks. */
export function oneStandardErrorChoice<C extends { blocks: number[] }>(ordered: readonly C[]): C {
  const threshold = withinOneStandardError(ordered)
  return ordered.find((c) => mean(c.blocks) <= threshold)!
}

/**
 * The candidates to combine, in order of simplicity: the simplest of each kind (name) within
 * one standard error of the best; only the one-standard-error choice when that is the best
 * itself (simplicity and accuracy agree, nothing to hedge).
 */
export function indistinguishable<C extends { name: string; blocks: number[] }>(ordered: readonly C[]): C[] {
  const threshold = withinOneStandardError(ordered)
  const simplest = oneStandardErrorChoice(ordered)
  if (ordered.every((c) => mean(simplest.blocks) <= mean(c.blocks))) return [simplest]
  return ordered.filter((c, i) => mean(c.blocks) <= threshold && !ordered.slice(0, i).some((o) => o.name === c.name && mean(o.blocks) <= threshold))
}

// a run asks for its choice three times (the warm start, the start guard, the intervals'
// history residuals), each a pass of ridge fits over the history: one pass per plan, series
// and season, which do not change during the run
const choices = new WeakMap<RollingData, Array<{ series: ScaledSeries; season: number | null; choice: RollingOriginChoice | null }>>()

/** The rolling-origin choice; null when the later windows of the training and validation parts hold fewer than two horizons (foldCount). */
export function chooseStartOnRollingOrigin(data: RollingData, series: ScaledSeries, season: number | null): RollingOriginChoice | null {
  const known = choices.get(data) ?? []
  const hit = known.find((entry) => entry.series === series && entry.season === season)
  if (hit) return hit.choice
  const choice = rollingOriginChoice(data, series, season)
  choices.set(data, [...known, { series, season, choice }])
  return choice
}

function rollingOriginChoice(data: RollingData, series: ScaledSeries, season: number | null): RollingOriginChoice | null {
  const variables = series.variables
  const columns = ridgeColumns(data, variables)
  const features = data.lookback * columns.length
  const outputs = data.horizon * data.targets.length
  const history = evenlySpaced(Int32Array.from([...data.split.train, ...data.split.val]), gramRowLimit(features))
  const evalFrom = Math.max(1, Math.floor(history.length * FIRST_FIT_SHARE))
  const windows = history.slice(evalFrom)
  const folds = foldCount(windows.length, data.horizon)
  if (folds === 0) return null
  const fixed = linearStarts(data, variables, season, null)
  const candidates: Candidate[] = [
    ...fixed.map((start) => ({ name: start.name, penalty: null, model: kernelModel(start, data.lookback * variables), absSum: 0, blocks: [], residuals: new Float64Array(windows.length * outputs), predicted: new Float64Array(windows.length * outputs) })),
    ...(ridgeFits(features) ? ROLLING_PENALTIES.map((penalty) => ({ name: 'linear' as const, penalty, model: null, absSum: 0, blocks: [], residuals: new Float64Array(windows.length * outputs), predicted: new Float64Array(windows.length * outputs) })) : []),
  ]
  const scored: Scored = { targets: new Float64Array(windows.length * outputs), units: new Float64Array(windows.length * outputs) }
  const gram = createGram(features, outputs)
  let added = 0
  for (let fold = 0; fold < folds; fold++) {
    const from = Math.round((fold * windows.length) / folds)
    const to = Math.round(((fold + 1) * windows.length) / folds)
    // fit on every window whose targets end by the block's first target row (purged, as the split)
    const limit = windows[from]! - data.horizon
    let upTo = added
    while (upTo < history.length && history[upTo]! <= limit) upTo++
    addWindows(gram, data, series, columns, history.subarray(added, upTo))
    added = upTo
    for (const c of candidates) if (c.penalty !== null) c.model = gram.count > 0 ? solveRidge(gram, Math.max(gram.count * meanVariance(gram) * c.penalty, 1e-9)) : null
    scoreBlock(candidates, scored, data, series, columns, windows, from, to)
  }
  const count = windows.length * outputs
  const members = indistinguishable([...candidates].sort(bySimplicity))
  const errors: Record<string, number> = {}
  for (const c of candidates) errors[c.name] = Math.min(errors[c.name] ?? Infinity, c.absSum / count)
  const starts = members.map((m) => (m.penalty === null ? fixed.find((s) => s.name === m.name)! : refitOnTraining(data, series, columns, season, m.penalty)))
  const ridge = members.find((m) => m.penalty !== null)
  if (members.length === 1) return { chosen: starts[0]!, penalty: members[0]!.penalty, errors, folds, windows, residuals: members[0]!.residuals }
  const combined = combine(members, scored)
  errors.combination = combined.absSum / count
  return { chosen: meanStart(starts), penalty: ridge?.penalty ?? null, errors, folds, windows, residuals: combined.residuals }
}

/** The equal-weight mean of `members`' forecasts on the evaluation windows: its absolute errors in model units (summed) and original units. */
function combine(members: readonly Candidate[], scored: Scored): { absSum: number; residuals: Float64Array } {
  const residuals = new Float64Array(scored.targets.length)
  let absSum = 0
  for (let i = 0; i < residuals.length; i++) {
    let forecast = 0
    for (const m of members) forecast += m.predicted[i]! / members.length
    const error = Math.abs(forecast - scored.targets[i]!)
    absSum += error
    residuals[i] = error * scored.units[i]!
  }
  return { absSum, residuals }
}

function kernelModel(start: LinearStart, features: number): RidgeModel {
  return { features, outputs: start.intercept.length, weights: start.weights, intercept: start.intercept, lambda: 0 }
}

function addWindows(gram: Gram, data: RollingData, series: ScaledSeries, columns: number[], starts: Int32Array): void {
  for (let from = 0; from < starts.length; from += BATCH) {
    const arrays = batchArrays(series, data, starts.subarray(from, Math.min(starts.length, from + BATCH)))
    addRows(gram, selectColumns(arrays.inputs, arrays.batch, data.lookback, series.variables, columns), arrays.targets, arrays.batch)
  }
}

/** Adds each candidate's absolute errors on windows [from, to): model units to its sum, original units to its residuals. */
function scoreBlock(candidates: Candidate[], scored: Scored, data: RollingData, series: ScaledSeries, columns: number[], windows: Int32Array, from: number, to: number): void {
  const targets = data.targets.length
  const outputs = data.horizon * targets
  const stds = data.targetColumns.map((column) => data.scales[column]!.std)
  for (let at = from; at < to; at += BATCH) {
    const arrays = batchArrays(series, data, windows.subarray(at, Math.min(to, at + BATCH)))
    const narrow = selectColumns(arrays.inputs, arrays.batch, data.lookback, series.variables, columns)
    const frameScales = frameScalesOf(arrays.frame, arrays.targets.length, targets, outputs)
    for (let i = 0; i < arrays.targets.length; i++) {
      scored.targets[at * outputs + i] = arrays.targets[i]!
      scored.units[at * outputs + i] = frameScales[i]! * stds[i % targets]!
    }
    for (const c of candidates) {
      if (at === from) c.blocks.push(0)
      // a ridge with nothing to fit yet forecasts zero: the naive forecast in a last-value frame
      const predicted = c.model ? predictRidge(c.model, c.penalty === null ? arrays.inputs : narrow, arrays.batch) : new Float64Array(arrays.targets.length)
      for (let i = 0; i < predicted.length; i++) {
        const error = Math.abs(predicted[i]! - arrays.targets[i]!)
        c.absSum += error
        c.blocks[c.blocks.length - 1]! += error / ((to - from) * outputs)
        c.residuals[at * outputs + i] = error * frameScales[i]! * stds[i % targets]!
        c.predicted[at * outputs + i] = predicted[i]!
      }
    }
  }
}

/** The window frame's scale at each output of a batch ([windows, horizon · targets]; 1 with global normalisation): with the target's std, what turns an error in model units into original units. */
function frameScalesOf(frame: FrameOffsets | undefined, count: number, targets: number, outputs: number): Float64Array {
  const scales = new Float64Array(count).fill(1)
  if (frame) for (let i = 0; i < count; i++) scales[i] = frame.scales[Math.floor(i / outputs) * targets + (i % targets)]!
  return scales
}

/** The ridge at `penalty` fitted on the training windows, as a start. */
function refitOnTraining(data: RollingData, series: ScaledSeries, columns: number[], season: number | null, penalty: number): LinearStart {
  const features = data.lookback * columns.length
  const gram = createGram(features, data.horizon * data.targets.length)
  addWindows(gram, data, series, columns, evenlySpaced(data.split.train, gramRowLimit(features)))
  const ridge = solveRidge(gram, Math.max(gram.count * meanVariance(gram) * penalty, 1e-9))
  return linearStarts(data, series.variables, season, { ridge, columns, validation: {}, zeroValidation: NaN }).find((s) => s.name === 'linear')!
}

/**
 * Absolute errors of a start on the windows at `starts`, in original units ([windows, horizon ·
 * targets]): a fixed forecast's (naive, seasonal naive, drift) are out of sample on any window.
 */
export function startResiduals(start: LinearStart, data: RollingData, series: ScaledSeries, starts: Int32Array): Float64Array {
  const targets = data.targets.length
  const outputs = data.horizon * targets
  const stds = data.targetColumns.map((column) => data.scales[column]!.std)
  const model = kernelModel(start, data.lookback * series.variables)
  const out = new Float64Array(starts.length * outputs)
  for (let at = 0; at < starts.length; at += BATCH) {
    const arrays = batchArrays(series, data, starts.subarray(at, Math.min(starts.length, at + BATCH)))
    const predicted = predictRidge(model, arrays.inputs, arrays.batch)
    const frameScales = frameScalesOf(arrays.frame, predicted.length, targets, outputs)
    for (let i = 0; i < predicted.length; i++) out[at * outputs + i] = Math.abs(predicted[i]! - arrays.targets[i]!) * frameScales[i]! * stds[i % targets]!
  }
  return out
}
