import type { Metrics, Warning } from '../../shared/api'
import { ClipcastError, hasErrorCode } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import { isoUtc } from '../data/export'
import { finishScaler } from '../data/scaler'
import { splitWindows } from '../data/split'
import { seriesFor } from '../data/batches'
import { modelSpecFor, planTrainingData, trainingMoments, type TrainingData } from '../data/training-data'
import { evaluateWindows, seasonOf } from '../eval/evaluate'
import { createModel } from '../model/convlstm'
import { readTimes } from '../store/datasets'
import { getRunSummary } from '../store/runs'
import type { Db } from '../store/workspace'
import type { TrainingContext } from './epoch'
import { tunablesOf } from './guard'
import { createRunTrainer, trainEpochs } from './loop'

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

// Only `clipcast backtest` runs backtests (no Api method, no view), so its errors and hints name
// the command's flags (--folds, --epochs, --test-fraction) directly.
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
      hint: `Use at most ${test.length} folds, or train a run with a larger --test-fraction.`,
      details: { testWindows: test.length, folds: options.folds },
    })
  }
  const times = readTimes(db, base.dataset.id)
  const warnings: Warning[] = []
  const folds: BacktestFold[] = []
  for (let k = 0; k < options.folds; k++) {
    const block = test.slice(Math.floor((k * test.length) / options.folds), Math.floor(((k + 1) * test.length) / options.folds))
    const fold = await runFold(db, runId, { ...config, epochs }, base, times, block, k + 1, warnings)
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
  block: Int32Array,
  fold: number,
  warnings: Warning[],
): Promise<BacktestFold> {
  const { lookback, horizon } = base
  const testStartRow = block[0]! + lookback
  const data = foldData(db, base, foldSplit(config, base, block, fold), fold, warnings)
  const lastTargetRow = block[block.length - 1]! + lookback + horizon - 1
  const result: BacktestFold = {
    fold,
    testStartRow,
    testStart: isoUtc(times[testStartRow]!),
    testEnd: isoUtc(times[lastTargetRow]!),
    trainWindows: data.split.train.length,
    valWindows: data.split.val.length,
    testWindows: block.length,
    epochs: 0,
    status: 'completed',
    metrics: null,
    baselines: null,
  }
  const spec = modelSpecFor(config, data)
  const series = seriesFor(db, data)
  const model = createModel(spec)
  const trainer = createRunTrainer(model, config, tunablesOf(config))
  try {
    const best = await trainFold({ config, data, spec, series, model, trainer }, result, warnings)
    if (best !== null) {
      model.setWeights(best)
      try {
        const { metrics, baselines } = await evaluateWindows(db, runId, model, data, series, block, seasonOf(config, data))
        result.metrics = metrics
        result.baselines = baselines
      } catch (error) {
        if (!hasErrorCode(error, 'NON_FINITE_WEIGHTS')) throw error
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

/** The fold's past (windows whose targets all lie before its test period), split into training and validation windows. */
function foldSplit(config: RunConfig, base: TrainingData, block: Int32Array, fold: number): TrainingData['split'] {
  const { lookback, horizon, starts } = base
  const testStartRow = block[0]! + lookback
  let pastCount = 0
  while (pastCount < starts.length && starts[pastCount]! + lookback + horizon <= testStartRow) pastCount++
  const past = starts.slice(0, pastCount)
  try {
    const split = splitWindows(past, { lookback, horizon, valFraction: config.valFraction, testFraction: 0 })
    return { ...split, test: block, valEndRow: testStartRow }
  } catch (error) {
    if (hasErrorCode(error, 'DATASET_TOO_SHORT')) {
      throw new ClipcastError('DATASET_TOO_SHORT', `Fold ${fold} of the backtest has only ${past.length} windows before its test period, too few to train on.`, {
        hint: 'Use fewer --folds, or a run with a smaller --test-fraction.',
        details: { fold, pastWindows: past.length },
      })
    }
    throw error
  }
}

/**
 * Trains the fold's model from scratch on the run's one loop (src/core/train/loop.ts), the
 * guard included; the best epoch's weights are kept in memory, nothing is stored. Returns
 * them, or null when the fold diverged before any epoch completed.
 */
async function trainFold(ctx: TrainingContext, result: BacktestFold, warnings: Warning[]): Promise<Map<string, Float32Array> | null> {
  const kept: { best: { epoch: number; weights: Map<string, Float32Array> } | null } = { best: null }
  const end = await trainEpochs(ctx, { epoch: 0, tunables: tunablesOf(ctx.config), bestEpoch: null, bestScore: Infinity, recoveries: 0 }, {
    stopRequested: () => false,
    recovered: (recovery) => warnings.push({ code: 'BACKTEST_FOLD_RECOVERED', message: `Fold ${result.fold} diverged at epoch ${recovery.epoch}, step ${recovery.step} (${recovery.reason}) and went on from its last good epoch at learning rate ${recovery.lr}.` }),
    commit: ({ record, state, improved }) => {
      result.epochs = record.epoch
      if (improved) kept.best = { epoch: record.epoch, weights: state.weights }
    },
  })
  if (end.status === 'diverged') {
    const { best } = kept
    result.epochs = end.epoch
    result.status = 'diverged'
    warnings.push({ code: 'BACKTEST_FOLD_DIVERGED', message: `Fold ${result.fold} diverged at epoch ${end.epoch}${best ? `; it is scored with its best epoch (${best.epoch})` : ' before any epoch completed; it has no metrics'}.` })
  }
  return kept.best?.weights ?? null
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
