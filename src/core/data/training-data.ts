import type { DatasetSummary, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import type { RunConfig } from '../../shared/run-config'
import { addValues, emptyMoments, finishScaler, type ColumnMoments, type ColumnScale, type Scaler } from './scaler'
import { splitWindows, type Split } from './split'
import { frameOf, type WindowFrame } from './window-frame'
import { makeWindows } from './windows'
import { parseGridColumns, type GridColumns } from '../model/grid'
import { modelSpecFromConfig, type ModelSpec } from '../model/spec'
import { getDataset, readColumn, readTimes } from '../store/datasets'
import { CHUNK_ROWS } from '../store/migrations'
import type { Db } from '../store/workspace'

/**
 * Everything a run needs to cut batches out of a stored dataset: which columns feed the
 * model and which are predicted, the windows of each split, and the scaler fitted on the
 * training rows. Holds indices only; values are read lazily (ScaledSeries).
 */
export interface TrainingData {
  dataset: DatasetSummary
  /** Input columns in tensor order (numeric, not excluded by the scaler). */
  inputs: string[]
  targets: string[]
  /** Index into `inputs` of each target. */
  targetColumns: number[]
  /** Per-input scale, parallel to `inputs`. */
  scales: ColumnScale[]
  scaler: Scaler
  grid?: GridColumns
  /** Every window's first row (gap- and missing-target-free), before the split; the backtest cuts its folds from them. */
  starts: Int32Array
  split: Split
  lookback: number
  horizon: number
  /** Each window's own frame (RunConfig.normalize 'window'); absent: the training scaler alone. */
  frame?: WindowFrame
  warnings: Warning[]
}

/** Below this many validation windows a run is told its early stopping and intervals are noisy. */
export const SMALL_VALIDATION_WINDOWS = 50

/** Reads one column range by range, so a 1M-row column is never read twice into memory at once. */
function forEachRange(rows: number, fn: (start: number, end: number) => void): void {
  for (let start = 0; start < rows; start += CHUNK_ROWS) fn(start, Math.min(rows, start + CHUNK_ROWS))
}

/**
 * Every window of the dataset for these targets (gap- and missing-target-free), in row order:
 * what the split of a run is cut from.
 */
function datasetWindows(
  db: Db,
  dataset: Pick<DatasetSummary, 'id' | 'frequency' | 'columns' | 'timeZone'>,
  times: Float64Array,
  targets: readonly string[],
  shape: Pick<RunConfig, 'lookback' | 'horizon'>,
): ReturnType<typeof makeWindows> {
  const targetMissing = new Uint8Array(times.length)
  // rows where no column has a value: the import fills a timestamp gap with them, and windows break there
  const rowBreak = new Uint8Array(times.length).fill(1)
  for (const column of dataset.columns) {
    if (column.kind !== 'numeric') continue
    const isTarget = targets.includes(column.name)
    forEachRange(times.length, (start, end) => {
      const values = readColumn(db, dataset.id, column.name, { start, end })
      for (let i = 0; i < values.length; i++) {
        if (Number.isFinite(values[i]!)) rowBreak[start + i] = 0
        else if (isTarget) targetMissing[start + i] = 1
      }
    })
  }
  return makeWindows(times, { lookback: shape.lookback, horizon: shape.horizon, frequency: dataset.frequency, timeZone: dataset.timeZone, targetMissing, rowBreak })
}

/** Each column's moments over rows [0, trainRows): what a scaler is fitted on (finishScaler). */
export function trainingMoments(db: Db, datasetId: number, names: readonly string[], trainRows: number): Array<{ name: string; moments: ColumnMoments }> {
  return names.map((name) => {
    let moments = emptyMoments()
    forEachRange(trainRows, (start, end) => {
      moments = addValues(moments, readColumn(db, datasetId, name, { start, end }))
    })
    return { name, moments }
  })
}

/**
 * Plans a run's data. With `storedScaler` (resume, evaluation) the run's own scaler is reused
 * and checked against the dataset: a column it needs that is gone is CHECKPOINT_MISMATCH.
 */
export function planTrainingData(db: Db, config: RunConfig, storedScaler?: Scaler): TrainingData {
  const dataset = getDataset(db, config.datasetId)
  const numeric = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const warnings: Warning[] = []
  const targetNames = targetsOf(dataset, numeric, config)
  const times = readTimes(db, dataset.id)
  const starts = windowStarts(db, dataset, times, targetNames, config, warnings)
  const split = splitWindows(starts, config)
  if (split.val.length < SMALL_VALIDATION_WINDOWS) {
    warnings.push({
      code: 'VALIDATION_SMALL',
      message: `The validation part holds ${split.val.length} window${split.val.length === 1 ? '' : 's'} (targets from row ${split.trainEndRow} to ${split.valEndRow - 1}): early stopping and the prediction intervals rest on few forecasts, so both are noisy.`,
    })
  }
  const scaler = storedScaler ? checkedScaler(storedScaler, dataset, numeric) : fitTrainingScaler(db, dataset.id, numeric, Math.min(times.length, split.trainEndRow), warnings)
  const scales = scaler.columns.filter((c) => c.status !== 'excluded')
  const inputs = scales.map((c) => c.name)
  for (const name of targetNames) {
    if (!inputs.includes(name)) {
      throw new ClipcastError('DATASET_TOO_SHORT', `Target "${name}" has no values in the training rows of dataset ${dataset.id}.`, {
        hint: 'Choose another target, or a larger training part (a smaller {valFraction} and {testFraction}).',
        details: { settings: ['targets', 'valFraction', 'testFraction'] },
      })
    }
  }
  const grid = config.layout === 'grid' ? parseGridColumns(inputs) : undefined
  return {
    dataset,
    inputs,
    targets: [...targetNames],
    targetColumns: targetNames.map((name) => inputs.indexOf(name)),
    scales,
    scaler,
    ...(grid ? { grid } : {}),
    starts,
    split,
    lookback: config.lookback,
    horizon: config.horizon,
    ...(config.normalize === 'window' ? { frame: frameOf(config) } : {}),
    warnings,
  }
}

/** The run's targets, each a numeric column of the dataset (all numeric columns when the config names none). */
function targetsOf(dataset: DatasetSummary, numeric: string[], config: RunConfig): readonly string[] {
  for (const target of config.targets) {
    if (!dataset.columns.some((c) => c.name === target)) {
      throw new ClipcastError('UNKNOWN_TARGET', `Target "${target}" is not a column of dataset ${dataset.id} (${dataset.name}).`, {
        hint: `Choose among: ${numeric.join(', ')}.`,
        details: { target, columns: numeric },
      })
    }
    if (!numeric.includes(target)) {
      throw new ClipcastError('UNKNOWN_TARGET', `Target "${target}" is not a numeric column.`, { hint: `Choose among: ${numeric.join(', ')}.` })
    }
  }
  return config.targets.length > 0 ? config.targets : numeric
}

/** The first row of every complete window, with a warning for each kind left out; DATASET_TOO_SHORT when none is left. */
function windowStarts(db: Db, dataset: DatasetSummary, times: Float64Array, targetNames: readonly string[], config: RunConfig, warnings: Warning[]): Int32Array {
  const rows = times.length
  const windows = datasetWindows(db, dataset, times, targetNames, config)
  if (windows.droppedForGaps > 0) {
    warnings.push({ code: 'WINDOWS_GAPS', message: `${windows.droppedForGaps} windows that would span a gap in the timestamps were left out.` })
  }
  if (windows.droppedForMissingTargets > 0) {
    warnings.push({ code: 'WINDOWS_MISSING_TARGETS', message: `${windows.droppedForMissingTargets} windows whose targets have missing values were left out.` })
  }
  if (windows.starts.length === 0) {
    throw new ClipcastError(
      'DATASET_TOO_SHORT',
      `Dataset ${dataset.id} has ${rows} rows but no complete window of lookback ${config.lookback} + horizon ${config.horizon} rows` +
        (windows.droppedForGaps + windows.droppedForMissingTargets > 0 ? ` (${windows.droppedForGaps} span a gap, ${windows.droppedForMissingTargets} miss target values)` : '') +
        '.',
      { hint: 'Use a shorter {lookback} or {horizon}, or a longer dataset.', details: { rows, lookback: config.lookback, horizon: config.horizon, settings: ['lookback', 'horizon'] } },
    )
  }
  return windows.starts
}

/** The scaler fitted on the training period only: rows before the first validation target (docs/reliability.md, case 26). */
function fitTrainingScaler(db: Db, datasetId: number, numeric: string[], trainRows: number, warnings: Warning[]): Scaler {
  const moments = trainingMoments(db, datasetId, numeric, trainRows)
  for (const { name, moments: m } of moments) {
    if (m.count > 0 && m.count < trainRows) {
      warnings.push({ code: 'VALUES_IMPUTED', message: `Column "${name}" misses ${trainRows - m.count} of its ${trainRows} training values; missing inputs are filled with the training mean.` })
    }
  }
  const fitted = finishScaler(moments)
  warnings.push(...fitted.warnings)
  return fitted.scaler
}

/** A stored scaler, refused when a column it scales is gone from the dataset. */
function checkedScaler(scaler: Scaler, dataset: DatasetSummary, numeric: string[]): Scaler {
  for (const scale of scaler.columns) {
    if (scale.status !== 'excluded' && !numeric.includes(scale.name)) {
      throw new ClipcastError('CHECKPOINT_MISMATCH', `The run was trained on column "${scale.name}", which dataset ${dataset.id} no longer has.`, {
        hint: 'Use the dataset the run was trained on.',
      })
    }
  }
  return scaler
}

/** The model a run's config builds for its data plan. */
export function modelSpecFor(config: RunConfig, data: TrainingData): ModelSpec {
  return modelSpecFromConfig(
    config,
    data.inputs.length,
    data.grid ? { rows: data.grid.rows, cols: data.grid.cols, features: data.grid.features.length } : undefined,
    data.targetColumns,
  )
}
