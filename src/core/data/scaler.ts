import type { Warning } from '../../shared/api'

/**
 * Per-variable standardisation fitted on the training rows only (docs/reliability.md, case 26) and stored
 * with the run and every checkpoint, so evaluation and forecasts use exactly the same numbers.
 */
export interface ColumnScale {
  name: string
  mean: number
  std: number
  /** `constant`: std forced to 1 (no division by zero); `excluded`: no value in the training rows. */
  status: 'ok' | 'constant' | 'excluded'
}

export interface Scaler {
  columns: ColumnScale[]
}

/** Running moments of one column, fed chunk by chunk so a long column never sits in memory twice. */
export interface ColumnMoments {
  count: number
  mean: number
  /** Sum of squared deviations from the mean (Welford). */
  m2: number
}

export function emptyMoments(): ColumnMoments {
  return { count: 0, mean: 0, m2: 0 }
}

/** Adds the finite values of a chunk (NaN = missing is skipped); returns the updated moments. */
export function addValues(moments: ColumnMoments, values: ArrayLike<number>): ColumnMoments {
  let { count, mean, m2 } = moments
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) continue
    count++
    const delta = v - mean
    mean += delta / count
    m2 += delta * (v - mean)
  }
  return { count, mean, m2 }
}

// relative to the magnitude of the mean, below this a column carries no usable variation
const CONSTANT_RELATIVE_STD = 1e-12

/** Turns accumulated moments into a scaler; constant and empty columns are handled and reported. */
export function finishScaler(columns: Array<{ name: string; moments: ColumnMoments }>): { scaler: Scaler; warnings: Warning[] } {
  const warnings: Warning[] = []
  const scales = columns.map(({ name, moments }): ColumnScale => {
    if (moments.count === 0) {
      warnings.push({ code: 'COLUMN_ALL_MISSING', message: `Column "${name}" has no values in the training rows; it is left out of the model inputs.` })
      return { name, mean: 0, std: 1, status: 'excluded' }
    }
    // population std, as scikit-learn's StandardScaler
    const std = Math.sqrt(moments.m2 / moments.count)
    if (!(std > CONSTANT_RELATIVE_STD * Math.max(1, Math.abs(moments.mean)))) {
      warnings.push({ code: 'COLUMN_CONSTANT', message: `Column "${name}" is constant (${moments.mean}) in the training rows; it is centred but not divided (std taken as 1).` })
      return { name, mean: moments.mean, std: 1, status: 'constant' }
    }
    return { name, mean: moments.mean, std, status: 'ok' }
  })
  return { scaler: { columns: scales }, warnings }
}

/** Fits a scaler on whole columns (tests and small data); the training code feeds chunks instead. */
export function fitScaler(columns: Array<{ name: string; values: ArrayLike<number> }>): { scaler: Scaler; warnings: Warning[] } {
  return finishScaler(columns.map(({ name, values }) => ({ name, moments: addValues(emptyMoments(), values) })))
}

export function columnScale(scaler: Scaler, name: string): ColumnScale {
  const scale = scaler.columns.find((c) => c.name === name)
  if (!scale) throw new Error(`The scaler has no column "${name}".`)
  return scale
}

/** Scaled value; a missing value becomes 0, the training mean (the imputation the run reports). */
export function scaleValue(scale: ColumnScale, value: number): number {
  return Number.isFinite(value) ? (value - scale.mean) / scale.std : 0
}

export function unscaleValue(scale: ColumnScale, value: number): number {
  return value * scale.std + scale.mean
}
