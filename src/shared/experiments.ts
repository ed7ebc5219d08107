import type { GroupBy } from './api-schemas'
/** What Compare draws beyond the stored metrics: each run's test-period forecasts, and runs grouped with mean ± spread. */

export interface TestForecasts {
  runId: number
  /** The dataset the run trained on: runs on different datasets have different actual values. */
  datasetId: number
  targets: string[]
  horizon: number
  /** Test windows the MAE grid is over (all of them). */
  windows: number
  /** Test windows drawn in `time` (the latest ones, at most MAX_DRAWN_WINDOWS). */
  drawnWindows: number
  /** The rows the drawn windows forecast, in order (ISO 8601 UTC). */
  time: string[]
  /** Per target, the actual value at each row of `time`; null where it is missing. */
  actual: Record<string, Array<number | null>>
  /**
   * Per target and horizon step (index s is step s + 1), the forecast each row of `time` got
   * s + 1 steps ahead, from the window whose origin is s + 1 rows before it; null where no
   * drawn window forecasts that row at that step.
   */
  predicted: Record<string, Array<Array<number | null>>>
  /** MAE per target and step, `[target][step]` in `targets` order, over every test window; null with no finite pair. */
  mae: Array<Array<number | null>>
}

/** The grouping request is its schema's type (src/shared/api-schemas.ts). */
export type { GroupBy, GroupRequest } from './api-schemas'

/** Mean, sample standard deviation (n − 1; null for one value), min and max of the values present. */
export interface Spread {
  n: number
  mean: number | null
  std: number | null
  min: number | null
  max: number | null
}

export interface RunGroup {
  /** What the group's runs share: `lr=0.01`, or the settings of the seed group (`lr=0.01 clip=norm`, or `all settings`). */
  label: string
  runIds: number[]
  /** The chosen metric over the group's runs. */
  metric: Spread
  /** Validation loss (train loss where a run has none) per epoch over the runs that reached it: `epochs[i]` is epoch i + 1. */
  loss: Spread[]
}

export interface RunGroups {
  by: GroupBy
  metric: string
  groups: RunGroup[]
}
