import type { Metrics, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import { isoUtc } from '../data/export'
import { finishScaler } from '../data/scaler'
import { splitWindows } from '../data/split'
import { createModel } from '../model/convlstm'
import { readTimes } from '../store/datasets'
import { getRunSummary } from '../store/runs'
import type { Db } from '../store/workspace'
import { batchArrays, batchTensors, shuffledOrder } from '../train/batches'
import { planTrainingData, trainingMoments, type TrainingData } from '../train/data'
import { meanLoss, modelSpecFor, seriesFor } from '../train/session'
import { createTrainer } from '../train/step'
import { evaluateWindows, seasonOf } from './evaluate'

/**
 * Rolling-origin backtest of a run (Tashman 2000; Hyndman & Athanasopoulos, FPP3 §5.10). The
 * run's test windows are cut into K consecutive blocks; fold k forecasts block k with a model
 * trained from scratch, with the run's config, on the windows whose targets all lie before
 * the block, its scaler refitted on that fold's training rows only. No fold sees its future:
 * neither its weights, nor its scaler, nor its early stopping (validation windows come from
 * the fold's own past), nor its MASE scale.
 */
export interface BacktestFold {
  fold: number
  /** First row of the fold's test period, and its time. */
  testStartRow: number
  testStart: string
  /** Last target time of the fold's test windows. */
  testEnd: string
  trainWindows: number
  valWindows: number
  testWindows: number
  epochs: number
  status: 'completed' | 'diverged'
  metrics: Metrics | null
  baselines: Record<string, Metrics> | null
}

export interface BacktestSummary {
  mae: number | null
  rmse: number | null
  smape: number | null
  mase: number | null
  perHorizon: Array<{ step: number; mae: number | null }>
}

export interface BacktestResult {
  runId: number
  folds: BacktestFold[]
  /** Means over the folds that completed (MASE over those that have one). */
  mean: BacktestSummary
  baselines: Record<string, BacktestSummary>
  epochs: number
  warnings: Warning[]
}

export interface BacktestOptions {
  folds: number
  /** Epochs per fold; default the run's epochs, at most 5. */
  epochs?: number
  onFold?: (fold: BacktestFold) => void
}

export async function runBacktest(db: Db, runId: number, options: BacktestOptions): Promise<BacktestResult> {
  const run = getRunSummary(db, runId)
  const config = run.config
  const epochs = options.epochs ?? Math.min(config.epochs, 5)
  if (!Number.isInteger(options.folds) || options.folds < 1) {
    throw new ClipcastError('BAD_REQUEST', `--folds must be a positive whole number; received ${options.folds}.`, { hint: 'Use e.g. --folds 3.' })
  }
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new ClipcastError('BAD_REQUEST', `--epochs must be a positive whole number; received ${epochs}.`, { hint: 'Use e.g. --epochs 3.' })
  }
  const base = planTrainingData(db, config)
  const test = base.split.test
  if (test.length < options.folds) {
    throw new ClipcastError('DATASET_TOO_SHORT', `Run ${runId} has ${test.length} test windows, too few for ${options.folds} folds.`, {
      hint: `Use at most ${test.length} folds, or a larger --test-fraction.`,
      details: { testWindows: test.length, folds: options.folds },
    })
  }
  const times = readTimes(db, base.dataset.id)
  const warnings: Warning[] = []
  const folds: BacktestFold[] = []
  for (let k = 0; k < options.folds; k++) {
    const block = test.slice(Math.floor((k * test.length) / options.folds), Math.floor(((k + 1) * test.length) / options.folds))
    const fold = await runFold(db, runId, config, base, times, base.starts, block, k + 1, epochs, warnings)
    folds.push(fold)
    options.onFold?.(fold)
  }
  const completed = folds.filter((f) => f.metrics !== null)
  const baselineNames = [...new Set(completed.flatMap((f) => Object.keys(f.baselines ?? {})))]
  return {
    runId,
    folds,
    mean: summarise(completed.map((f) => f.metrics!), config.horizon),
    baselines: Object.fromEntries(baselineNames.map((name) => [name, summarise(completed.flatMap((f) => (f.baselines?.[name] ? [f.baselines[name]] : [])), config.horizon)])),
    epochs,
    warnings,
  }
}

async function runFold(
  db: Db,
  runId: number,
  config: RunConfig,
  base: TrainingData,
  times: Float64Array,
  starts: Int32Array,
  block: Int32Array,
  fold: number,
  epochs: number,
  warnings: Warning[],
): Promise<BacktestFold> {
  const { lookback, horizon } = base
  const testStartRow = block[0]! + lookback
  // the fold's past: windows whose targets all lie before its test period
  let pastCount = 0
  while (pastCount < starts.length && starts[pastCount]! + lookback + horizon <= testStartRow) pastCount++
  const past = starts.slice(0, pastCount)
  let split
  try {
    split = splitWindows(past, { lookback, horizon, valFraction: config.valFraction, testFraction: 0 })
  } catch (error) {
    if (error instanceof ClipcastError && error.code === 'DATASET_TOO_SHORT') {
      throw new ClipcastError('DATASET_TOO_SHORT', `Fold ${fold} of the backtest has only ${past.length} windows before its test period, too few to train on.`, {
        hint: 'Use fewer --folds, or a run with a smaller --test-fraction.',
        details: { fold, pastWindows: past.length },
      })
    }
    throw error
  }
  const data = foldData(db, base, { ...split, test: block, valEndRow: testStartRow }, fold, warnings)
  const lastTargetRow = block[block.length - 1]! + lookback + horizon - 1
  const result: BacktestFold = {
    fold,
    testStartRow,
    testStart: isoUtc(times[testStartRow]!),
    testEnd: isoUtc(times[lastTargetRow]!),
    trainWindows: split.train.length,
    valWindows: split.val.length,
    testWindows: block.length,
    epochs: 0,
    status: 'completed',
    metrics: null,
    baselines: null,
  }
  const spec = modelSpecFor(config, data)
  const series = seriesFor(db, data)
  const model = createModel(spec)
  const trainer = createTrainer(model, { loss: config.loss, optimizer: config.optimizer, lr: config.lr, clip: config.clip, clipThreshold: config.clipThreshold, clipPercentile: config.clipPercentile, seed: config.seed, l1: config.l1, l2: config.l2 })
  try {
    let best: { score: number; weights: Map<string, Float32Array> } | null = null
    let bestEpoch = 0
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = shuffledOrder(data.split.train, config.seed, epoch)
      let finite = true
      for (let from = 0; from < order.length && finite; from += config.batch) {
        const part = order.subarray(from, Math.min(order.length, from + config.batch))
        const { x, y } = batchTensors(batchArrays(series, data, part), spec, data)
        try {
          finite = (await trainer.step(x, y)).finite
        } finally {
          x.dispose()
          y.dispose()
        }
      }
      result.epochs = epoch
      const score = finite ? (data.split.val.length > 0 ? await meanLoss(trainer, spec, data, series, data.split.val, config.batch) : NaN) : NaN
      if (!finite || (data.split.val.length > 0 && !Number.isFinite(score))) {
        // as the run's guard with --on-diverge stop: the fold keeps its best weights, if any
        result.status = 'diverged'
        warnings.push({ code: 'BACKTEST_FOLD_DIVERGED', message: `Fold ${fold} diverged at epoch ${epoch}${best ? `; it is scored with its best epoch (${bestEpoch})` : ' before any epoch completed; it has no metrics'}.` })
        break
      }
      // without validation windows (score NaN) the last epoch counts as best
      if (best === null || !Number.isFinite(score) || score < best.score) {
        best = { score, weights: await model.readWeights() }
        bestEpoch = epoch
      }
      if (config.patience > 0 && epoch - bestEpoch >= config.patience) break
    }
    if (best !== null) {
      model.setWeights(best.weights)
      try {
        const { metrics, baselines } = await evaluateWindows(db, runId, model, data, series, block, seasonOf(config, data))
        result.metrics = metrics
        result.baselines = baselines
      } catch (error) {
        if (!(error instanceof ClipcastError) || error.code !== 'NON_FINITE_WEIGHTS') throw error
        result.status = 'diverged'
        warnings.push({ code: 'BACKTEST_FOLD_DIVERGED', message: `Fold ${fold}'s model predicts non-finite values; it has no metrics.` })
      }
    }
    return result
  } finally {
    trainer.dispose()
    model.dispose()
  }
}

/** The run's data plan with the fold's split and a scaler refitted on the fold's training rows. */
function foldData(db: Db, base: TrainingData, split: TrainingData['split'], fold: number, warnings: Warning[]): TrainingData {
  const numeric = base.dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const { scaler, warnings: scalerWarnings } = finishScaler(trainingMoments(db, base.dataset.id, numeric, split.trainEndRow))
  warnings.push(...scalerWarnings.map((w) => ({ ...w, message: `Fold ${fold}: ${w.message}` })))
  const scales = scaler.columns.filter((c) => c.status !== 'excluded')
  const inputs = scales.map((c) => c.name)
  if (inputs.join('\u0000') !== base.inputs.join('\u0000')) {
    throw new ClipcastError('DATASET_TOO_SHORT', `Fold ${fold}'s training rows have no values for some of the run's input columns.`, {
      hint: 'Use fewer --folds, so that every fold trains on a longer past.',
    })
  }
  return { ...base, scaler, scales, split }
}

function mean(values: ReadonlyArray<number | null | undefined>): number | null {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  return finite.length === 0 ? null : finite.reduce((a, b) => a + b, 0) / finite.length
}

function summarise(metrics: readonly Metrics[], horizon: number): BacktestSummary {
  return {
    mae: mean(metrics.map((m) => m.mae)),
    rmse: mean(metrics.map((m) => m.rmse)),
    smape: mean(metrics.map((m) => m.smape)),
    mase: mean(metrics.map((m) => m.mase)),
    perHorizon: Array.from({ length: horizon }, (_, s) => ({ step: s + 1, mae: mean(metrics.map((m) => m.perHorizon[s]?.mae)) })),
  }
}
