import type { RunConfig } from '../../shared/run-config'
import type { ConvLstmModel } from '../model/convlstm'
import type { ModelSpec } from '../model/spec'
import { fitLinearBaseline } from '../eval/linear-baseline'
import { writeCheckpoint, type OptimizerSnapshot } from '../store/checkpoints'
import { setBest } from '../store/runs'
import { writeTransaction, type Db } from '../store/workspace'
import type { ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import { linearStarts, startErrors, type LinearStart } from '../eval/linear-starts'
import { chooseStartOnRollingOrigin } from '../eval/rolling-origin'
import type { Trainer } from './step'

export const START_LABELS: Record<LinearStart['name'], string> = { linear: 'ridge', naive: 'naive', seasonalNaive: 'seasonal-naive', drift: 'drift', combination: 'combined' }

/**
 * The starting point of a model with a highway: the highway holds the linear forecast that
 * does best on a rolling origin over the training and validation windows (rolling-origin.ts)
 * among the ridge per penalty, naive, seasonal naive and drift (or the mean of those it cannot
 * tell apart), and the ConvLSTM head starts at zero. Training begins at that forecast and the network learns only what the linear part
 * cannot (LSTNet's division of labour). Returns what it started from; null when the model has
 * no highway or a recursive head. With too few windows for the rolling origin, the start is
 * the one with the lowest validation error (the ridge when there are no validation windows).
 */
export async function warmStartHighway(model: ConvLstmModel, data: TrainingData, series: ScaledSeries, season: number | null): Promise<{ from: LinearStart['name']; errors: Record<string, number>; basis: string } | null> {
  // a recursive head's highway maps the window to one step: the baselines' kernels do not apply
  if (!model.spec.highway || model.spec.recursive) return null
  const { chosen, errors, basis } = chooseStart(data, series, season)
  const weights = await model.readWeights()
  const outputs = data.horizon * data.targets.length
  const kernel = new Float32Array(weights.get('highway/kernel')!.length) // [time·rows·cols·channels, outputs]
  const variables = series.variables
  // where input column v sits within one step of the model input (the grid layout permutes them)
  const position = (v: number) => (data.grid ? data.grid.order.indexOf(v) : v)
  for (let t = 0; t < data.lookback; t++) {
    for (let v = 0; v < variables; v++) {
      const from = (t * variables + v) * outputs
      kernel.set(chosen.weights.subarray(from, from + outputs), (t * variables + position(v)) * outputs)
    }
  }
  weights.set('highway/kernel', kernel)
  weights.set('head/bias', Float32Array.from(chosen.intercept))
  weights.set('head/kernel', new Float32Array(weights.get('head/kernel')!.length))
  model.setWeights(weights)
  return { from: chosen.name, errors, basis }
}

/** What the run is told about its start (WARM_START). */
export function startMessage(start: { from: LinearStart['name']; errors: Record<string, number>; basis: string }): string {
  const scores = Object.entries(start.errors)
    .map(([name, error]) => `${START_LABELS[name as LinearStart['name']] ?? name} ${error.toPrecision(3)}`)
    .join(', ')
  return `The linear highway starts at the ${START_LABELS[start.from]} forecast, chosen ${start.basis}${scores ? ` (${scores})` : ''}; the ConvLSTM learns what it misses.`
}

/** The start and each candidate's error: on the rolling origin, or (too few windows for it) on validation. */
export function chooseStart(data: TrainingData, series: ScaledSeries, season: number | null): { chosen: LinearStart; errors: Record<string, number>; basis: string } {
  const rolling = chooseStartOnRollingOrigin(data, series, season)
  if (rolling) {
    const where = `on a rolling origin over ${rolling.windows.length} training and validation windows in ${rolling.folds} blocks`
    const members = rolling.chosen.members?.map((name) => START_LABELS[name])
    const basis = members
      ? `as the mean of ${members.slice(0, -1).join(', ')} and ${members[members.length - 1]}, each the simplest of its kind within one standard error of the best mean absolute error ${where}`
      : `as the simplest within one standard error of the best mean absolute error ${where}`
    return { ...rolling, basis }
  }
  const candidates = linearStarts(data, series.variables, season, fitLinearBaseline(data, series))
  const errors = data.split.val.length > 0 ? startErrors(candidates, data, series, data.split.val) : candidates.map((c) => (c.name === 'linear' ? 0 : 1))
  const chosen = candidates[errors.indexOf(Math.min(...errors))]!
  if (data.split.val.length === 0) return { chosen, errors: {}, basis: 'with no validation windows to choose on' }
  return { chosen, errors: Object.fromEntries(candidates.map((c, i) => [c.name, errors[i]!])), basis: `as the lowest squared error on the ${data.split.val.length} validation windows (too few windows for a rolling origin)` }
}

/**
 * The warm start is a candidate like any epoch: its validation loss and weights become the
 * run's `best` at epoch 0, so early stopping keeps the starting point when no epoch of
 * training beats it on validation (a network that only adds noise to the linear forecast).
 */
export async function recordStartingPoint(db: Db, runId: number, ctx: { model: ConvLstmModel; trainer: Trainer; spec: ModelSpec; data: TrainingData; series: ScaledSeries; config: RunConfig; meanLoss: (starts: Int32Array) => Promise<number> }): Promise<void> {
  if (ctx.data.split.val.length === 0) return
  const valLoss = await ctx.meanLoss(ctx.data.split.val)
  if (!Number.isFinite(valLoss)) return
  const optimizer = (await ctx.trainer.getOptimizerState()) as OptimizerSnapshot
  const input = { epoch: 0, weights: await ctx.model.readWeights(), optimizer, config: ctx.config, scaler: ctx.data.scaler }
  // `last` too: a run stopped or killed before its first epoch commits resumes from here
  writeTransaction(db, () => {
    writeCheckpoint(db, runId, 'best', input)
    writeCheckpoint(db, runId, 'last', input)
    setBest(db, runId, 0, valLoss)
  })
}
