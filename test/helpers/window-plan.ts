import { frameOf } from '../../src/core/data/window-frame'
import { ScaledSeries } from '../../src/core/data/batches'
import type { TrainingData } from '../../src/core/data/training-data'

/** Rows of the hand-made training plan below. */
export const PLAN_ROWS = 80

/**
 * A one-column training plan over `values` (PLAN_ROWS long), with lookback 4 and horizon 2:
 * training windows 0–49, validation 55–64 (targets to row 69), test 70–74; the scale is `std`.
 */
export function windowPlan(values: Float64Array, std = 1): { data: TrainingData; series: ScaledSeries } {
  const scales = [{ name: 'y', mean: 0, std, status: 'ok' as const }]
  const series = new ScaledSeries((_, { start, end }) => values.subarray(start, end), scales, PLAN_ROWS)
  const starts = Int32Array.from({ length: PLAN_ROWS - 5 }, (_, i) => i)
  const data = {
    inputs: ['y'], targets: ['y'], targetColumns: [0], scales, lookback: 4, horizon: 2, frame: frameOf({ location: 'last' }),
    split: { train: starts.slice(0, 50), val: starts.slice(55, 65), test: starts.slice(70), trainEndRow: 55, valEndRow: 65, purged: 0 },
  } as unknown as TrainingData
  return { data, series }
}
