import * as tf from '@tensorflow/tfjs'
import type { Metrics, Warning } from '../../shared/api'
import { ClipcastError, toErrorData } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import type { ConvLstmModel } from '../model/convlstm'
import { fromWindowFrame } from '../data/window-frame'
import { toModelInput } from '../model/layout'
import { takeValues } from '../readback'
import { batchArrays, type ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import { readColumn } from '../store/datasets'
import type { Db } from '../store/workspace'
import { seasonForFrequency } from './baselines'
import { calibrateBatch, finalIntervals, startCalibration, type RunCalibration } from './calibrate'
import { addCoverage, createCoverage, finishCoverage } from './conformal'
import { fitLinearBaseline, predictLinear } from './linear-baseline'
import type { ForecastBlock } from './metrics'
import { toOriginalUnits } from './units'
import { actualBlock, createTestScorer, finishScore, scoreBatch, type Evaluation, type TestSeries, type TestSet } from './score'

/**
 * The raw target columns a run's test windows are scored against, read from the store: read
 * once per request and passed down (to the calibration, the batches, the view).
 */
export function testSeries(db: Db, data: TrainingData): TestSeries {
  const series = data.targets.map((name) => readColumn(db, data.dataset.id, name))
  return { targets: data.targets, horizon: data.horizon, series, trainEndRow: data.split.trainEndRow, lookback: data.lookback }
}


/** A window's forecast origin is its last input row. */
export function originsOf(data: Pick<TrainingData, 'lookback'>, starts: ArrayLike<number>): number[] {
  return Array.from(starts, (start) => start + data.lookback - 1)
}

/** The seasonal period: RunConfig.season when set, else from the dataset's frequency. */
export function seasonOf(config: Pick<RunConfig, 'season'>, data: Pick<TrainingData, 'dataset'>): number | null {
  return config.season ?? seasonForFrequency(data.dataset.frequency)
}

/**
 * Predictions of the model for the windows starting at `starts`, unscaled to original units.
 * `series` is the run's scaled reader (seriesFor), shared with training so its cached blocks
 * are not read and scaled again.
 */
export async function predictWindows(model: ConvLstmModel, data: TrainingData, series: ScaledSeries, starts: ArrayLike<number>, batchSize = 256): Promise<ForecastBlock> {
  const targets = data.targets.length
  const windows = starts.length
  const values = new Float64Array(windows * data.horizon * targets)
  for (let from = 0; from < windows; from += batchSize) {
    const chunk = Array.from({ length: Math.min(batchSize, windows - from) }, (_, i) => starts[from + i]!)
    values.set(toOriginalUnits(await predictScaled(model, data, series, chunk), undefined, data).values, from * data.horizon * targets)
  }
  return { values, windows, horizon: data.horizon, targets }
}

/**
 * The model's outputs for the windows starting at `starts`, in scaled units ([windows,
 * horizon, targets]): mapped back from each window's frame when the run normalises per window.
 * Reads the input rows only, so a window may end at the last row of the data (a forecast).
 */
export async function predictScaled(model: ConvLstmModel, data: TrainingData, series: ScaledSeries, starts: number[]): Promise<Float32Array> {
  const arrays = batchArrays(series, data, starts, false)
  const x = toModelInput(arrays.inputs, arrays.batch, model.spec, data.grid?.order)
  try {
    const values = await takeValues(tf.tidy(() => model.predict(x))) // [batch, horizon, targets]
    return arrays.frame ? fromWindowFrame(values, arrays.frame, data.horizon, data.targets.length) : values
  } finally {
    x.dispose()
  }
}

/** What predictBatches needs of a run: its id (for NON_FINITE_WEIGHTS), model, data plan and scaled reader. */
export interface Predictor {
  runId: number
  model: ConvLstmModel
  data: TrainingData
  series: ScaledSeries
}

/** One batch of windows: `from` is the index of its first window in `starts`; blocks are [windows, horizon, targets] in original units. */
export interface WindowBatch {
  from: number
  /** The batch's window starts, starts[from…]. */
  starts: number[]
  origins: number[]
  predicted: ForecastBlock
  actual: ForecastBlock
}

/**
 * The model's predictions for the windows `starts[from…]`, in original units, beside their
 * actuals (from `test`, read once by the caller), one batch of `batchSize` windows at a time
 * and in order — the one loop under the evaluation, the test export, the test period and
 * Compare's forecasts, so they all see the same numbers. NON_FINITE_WEIGHTS when a prediction
 * is not finite (it would otherwise drop out of the means and flatter the model).
 */
export async function* predictBatches(run: Predictor, test: TestSeries, starts: ArrayLike<number>, options: { from?: number; batchSize?: number } = {}): AsyncGenerator<WindowBatch> {
  const { model, data, series } = run
  const batchSize = options.batchSize ?? 256
  const cells = data.horizon * data.targets.length
  for (let from = options.from ?? 0; from < starts.length; from += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, starts.length - from) }, (_, i) => starts[from + i]!)
    const predicted = await predictWindows(model, data, series, batch, batchSize)
    assertFinitePredictions(predicted.values, run.runId, from * cells)
    const origins = originsOf(data, batch)
    yield { from, starts: batch, origins, predicted, actual: actualBlock(test.series, origins, data.horizon) }
  }
}

/** The run's test windows and the model's predictions for them, held whole (Compare's forecasts); NON_FINITE_WEIGHTS when a prediction is not finite. */
export async function predictTest(db: Db, run: Predictor, test: TestSeries = testSeries(db, run.data)): Promise<{ test: TestSet; predicted: ForecastBlock }> {
  const { data } = run
  const origins = originsOf(data, data.split.test)
  const cells = data.horizon * data.targets.length
  const whole = (): ForecastBlock => ({ values: new Float64Array(origins.length * cells), windows: origins.length, horizon: data.horizon, targets: data.targets.length })
  const predicted = whole()
  const actual = whole()
  // the batches' actuals, put together: the whole test set's, as actualBlock makes them
  for await (const batch of predictBatches(run, test, data.split.test)) {
    predicted.values.set(batch.predicted.values, batch.from * cells)
    actual.values.set(batch.actual.values, batch.from * cells)
  }
  return { test: { ...test, origins, actual }, predicted }
}

/**
 * Scores the model and the baselines (naive, seasonal naive, drift, linear) on the windows starting at `starts` (in order), one
 * batch at a time: a batch's predictions, actuals and baseline forecasts are dropped once
 * added to the metric sums, so memory does not grow with the test split beyond the
 * half-widths kept. NON_FINITE_WEIGHTS
 * when a prediction is not finite (it would otherwise drop out of the means and flatter the model).
 * With a calibration, each window's intervals (calibrateBatch) are scored too (`metrics.coverage`),
 * kept by level ([windows, horizon · targets], `halfWidth`, stored with the run for the test
 * period and the test export), and `metrics.intervals` are the ones after the last window, for the forecast.
 */
export async function evaluateWindows(
  db: Db,
  runId: number,
  model: ConvLstmModel,
  data: TrainingData,
  series: ScaledSeries,
  starts: ArrayLike<number>,
  season: number | null,
  options: { batchSize?: number; calibration?: RunCalibration; test?: TestSeries } = {},
): Promise<Evaluation & { halfWidth?: Record<string, Float64Array> }> {
  const scorer = createTestScorer(options.test ?? testSeries(db, data), season)
  const linear = fitLinearBaseline(data, series)
  const calibration = options.calibration
  const coverage = calibration ? createCoverage(calibration.levels) : undefined
  const cells = data.horizon * data.targets.length
  const halfWidth = calibration ? Object.fromEntries(calibration.levels.map((level) => [String(level), new Float64Array(starts.length * cells)])) : undefined
  const batches = predictBatches({ runId, model, data, series }, scorer.test, starts, options.batchSize === undefined ? {} : { batchSize: options.batchSize })
  for await (const { from, starts: batch, origins, predicted, actual } of batches) {
    scoreBatch(scorer, origins, predicted, linear ? { linear: predictLinear(linear, data, series, batch) } : {}, actual)
    if (calibration && coverage) {
      const widths = calibrateBatch(calibration, origins, actual, predicted)
      addCoverage(coverage, actual, predicted, widths)
      for (const level of Object.keys(widths)) halfWidth![level]!.set(widths[level]!, from * cells)
    }
  }
  const evaluation = finishScore(scorer)
  if (!calibration || !coverage || !halfWidth) return evaluation
  return { ...evaluation, metrics: { ...evaluation.metrics, coverage: finishCoverage(coverage), intervals: finalIntervals(calibration) }, halfWidth }
}

/**
 * The evaluation of a finished training run (the session's EVALUATION HOOK): the model, which
 * holds the best checkpoint's weights (the session loaded them for its test loss), is scored
 * with the baselines, and its prediction intervals are calibrated (calibrate.ts): each test window's
 * on the residuals known at its origin, for the coverage (returned as `halfWidth`, stored with
 * the run); the forecast's on all of them. An evaluation that fails leaves the
 * trained run intact: the failure becomes a warning and the run has no metrics.
 */
export async function evaluateFinishedRun(
  db: Db,
  runId: number,
  model: ConvLstmModel,
  data: TrainingData,
  series: ScaledSeries,
  config: Pick<RunConfig, 'season'> & Partial<Pick<RunConfig, 'intervals'>>,
  warn: (warning: Warning) => void = () => {},
): Promise<{ metrics: Metrics | undefined; baselines: Record<string, Metrics> | undefined; halfWidth?: Record<string, Float64Array> }> {
  try {
    if (data.split.test.length === 0) return { metrics: undefined, baselines: undefined }
    const season = seasonOf(config, data)
    const test = testSeries(db, data)
    const calibration = await startCalibration(runId, model, data, series, test, config.intervals ?? [], season)
    const { metrics, baselines, halfWidth } = await evaluateWindows(db, runId, model, data, series, data.split.test, season, calibration ? { calibration, test } : { test })
    return halfWidth ? { metrics, baselines, halfWidth } : { metrics, baselines }
  } catch (error) {
    const data = toErrorData(error)
    warn({ code: 'EVALUATION_FAILED', message: `Run ${runId} trained, but its evaluation failed: ${data.code}: ${data.message}` })
    return { metrics: undefined, baselines: undefined }
  }
}

/**
 * Refuses model outputs that are not finite, which a model with finite weights can still
 * produce. `offset`: the index of values[0] in the whole prediction block (for the details).
 */
export function assertFinitePredictions(values: ArrayLike<number>, runId: number, offset = 0): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new ClipcastError('NON_FINITE_WEIGHTS', `Run ${runId}'s model produced a non-finite prediction (${values[i]}).`, {
        hint: 'Its weights overflow on this data; train again with {clip} set to norm or a lower {lr}.',
        details: { runId, index: offset + i, settings: ['clip', 'lr'] },
      })
    }
  }
}
