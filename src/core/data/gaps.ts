import type { NewDataset } from '../store/datasets'
import { inferFrequency } from './frequency'

/**
 * Turns the gaps of a fixed-step series into explicit missing rows: a step of k × the frequency
 * gets k − 1 rows at the missing times, every value NaN. The data then says where it is missing
 * instead of hiding it in the spacing of the timestamps, and windows break at those rows
 * (makeWindows' rowBreak), so no window ever spans a gap.
 */
export interface FilledSeries {
  times: Float64Array
  values: Float64Array[]
  /** Rows added at the missing times. */
  inserted: number
}

/**
 * Fills gaps of `times` (sorted, distinct, UTC ms) on the `stepMs` grid. Returns null when a
 * step is not a whole multiple of stepMs (the series is not on one grid) or when filling would
 * make the dataset more than `maxRows` long (a year's gap in per-second data): the gaps then
 * stay in the timestamps, and windows still break at them.
 */
export function fillGaps(times: Float64Array, values: readonly Float64Array[], stepMs: number, maxRows: number): FilledSeries | null {
  if (!(stepMs > 0) || times.length < 2) return null
  let total = times.length
  for (let i = 1; i < times.length; i++) {
    const steps = (times[i]! - times[i - 1]!) / stepMs
    if (!Number.isInteger(steps) || steps < 1) return null
    total += steps - 1
    if (total > maxRows) return null
  }
  if (total === times.length) return { times, values: [...values], inserted: 0 }
  const filledTimes = new Float64Array(total)
  const filledValues = values.map(() => new Float64Array(total).fill(NaN))
  let row = 0
  for (let i = 0; i < times.length; i++) {
    if (i > 0) for (let t = times[i - 1]! + stepMs; t < times[i]!; t += stepMs) filledTimes[row++] = t
    filledTimes[row] = times[i]!
    for (let c = 0; c < values.length; c++) filledValues[c]![row] = values[c]![i]!
    row++
  }
  return { times: filledTimes, values: filledValues, inserted: total - times.length }
}

/**
 * The dataset with its gaps filled (fillGaps) when it has a fixed step and filling grows it by at
 * most a tenth (business-day data, with no weekends, is a pattern rather than missing data), with
 * the missing counts and a GAPS_FILLED warning to match; otherwise the dataset as it was.
 */
export function withGapsFilled<D extends Pick<NewDataset, 'times' | 'values' | 'columns' | 'warnings'>>(dataset: D): D {
  const frequency = inferFrequency(dataset.times)
  if (frequency.stepMs === undefined || frequency.gaps.count === 0) return dataset
  const filled = fillGaps(dataset.times, dataset.values, frequency.stepMs, Math.floor(dataset.times.length * 1.1))
  if (filled === null || filled.inserted === 0) return dataset
  return {
    ...dataset,
    times: filled.times,
    values: filled.values,
    columns: dataset.columns.map((column) => (column.kind === 'numeric' ? { ...column, missing: column.missing + filled.inserted } : column)),
    warnings: [
      ...dataset.warnings,
      { code: 'GAPS_FILLED', message: `${filled.inserted} missing rows were added at the missing times of the ${frequency.frequency} series; no training window spans them.` },
    ],
  }
}
