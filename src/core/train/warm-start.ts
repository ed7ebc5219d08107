import type { RunConfig } from '../../shared/run-config'
import type { ConvLstmModel } from '../model/convlstm'
import type { ModelSpec } from '../model/spec'
import { fitLinearBaseline, type LinearBaseline } from '../eval/linear-baseline'
import { writeCheckpoint, type OptimizerSnapshot } from '../store/checkpoints'
import { setBest } from '../store/runs'
import { writeTransaction, type Db } from '../store/workspace'
import type { ScaledSeries } from './batches'
import type { TrainingData } from './data'
import type { Trainer } from './step'

/**
 * The starting point of a model with a highway: the highway holds the linear baseline (ridge
 * fitted on the training windows, its penalty chosen on validation) and the ConvLSTM head
 * starts at zero, so training begins at the linear forecast and the network learns only what
 * the linear part cannot (LSTNet's division of labour). When the ridge does worse on the
 * validation windows than an output of zero (in a last-value frame: the naive forecast), the
 * highway starts at zero instead. Returns what it started from; null when the model has no
 * highway or the ridge does not fit (too wide a window).
 */
export function warmStartHighway(model: ConvLstmModel, data: TrainingData, series: ScaledSeries): { from: 'linear' | 'zero'; baseline: LinearBaseline } | null {
  if (!model.spec.highway) return null
  const baseline = fitLinearBaseline(data, series)
  if (!baseline) return null
  const bestValidation = Math.min(...Object.values(baseline.validation))
  const from = Number.isFinite(baseline.zeroValidation) && baseline.zeroValidation <= bestValidation ? 'zero' : 'linear'
  const weights = model.getWeights()
  const outputs = data.horizon * data.targets.length
  const kernel = new Float32Array(weights.get('highway/kernel')!.length) // [time·rows·cols·channels, outputs]
  const bias = new Float32Array(outputs)
  if (from === 'linear') {
    const { ridge, columns } = baseline
    const cells = series.variables
    // where input column v sits within one step of the model input (the grid layout permutes them)
    const position = (v: number) => (data.grid ? data.grid.order.indexOf(v) : v)
    for (let t = 0; t < data.lookback; t++) {
      columns.forEach((v, c) => {
        const row = t * cells + position(v)
        for (let k = 0; k < outputs; k++) kernel[row * outputs + k] = ridge.weights[(t * columns.length + c) * outputs + k]!
      })
    }
    bias.set(ridge.intercept)
  }
  weights.set('highway/kernel', kernel)
  weights.set('head/bias', bias)
  weights.set('head/kernel', new Float32Array(weights.get('head/kernel')!.length))
  model.setWeights(weights)
  return { from, baseline }
}

/**
 * The warm start is a candidate like any epoch: its validation loss and weights become the
 * run's `best` at epoch 0, so early stopping keeps the starting point when no epoch of
 * training beats it on validation (a network that only adds noise to the linear forecast).
 */
export async function recordStartingPoint(db: Db, runId: number, ctx: { model: ConvLstmModel; trainer: Trainer; spec: ModelSpec; data: TrainingData; series: ScaledSeries; config: RunConfig; meanLoss: (starts: Int32Array) => number }): Promise<void> {
  if (ctx.data.split.val.length === 0) return
  const valLoss = ctx.meanLoss(ctx.data.split.val)
  if (!Number.isFinite(valLoss)) return
  const optimizer = (await ctx.trainer.getOptimizerState()) as OptimizerSnapshot
  writeTransaction(db, () => {
    writeCheckpoint(db, runId, 'best', { epoch: 0, weights: ctx.model.getWeights(), optimizer, config: ctx.config, scaler: ctx.data.scaler })
    setBest(db, runId, 0, valLoss)
  })
}
