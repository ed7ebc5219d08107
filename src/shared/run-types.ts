import type { ErrorData } from './errors'
import type { RunConfig, RunStatus } from './run-config'
import type { Warning } from './dataset-types'

/** The runs of the contract (src/shared/api.ts): summaries, epochs, metrics, forecasts and comparisons. */

export interface GradNormStats {
  mean: number
  p50: number
  p95: number
  max: number
}

export interface EpochRecord {
  epoch: number
  trainLoss: number
  valLoss: number | null
  gradNorm: GradNormStats
  clippedFraction: number
  lr: number
  clipThreshold: number | null
  seconds: number
  layerNorms?: Record<string, number>
  /** The pre-clip global norm of every applied step of the epoch, in order. */
  stepNorms?: number[]
}

/**
 * Test metrics in original units (src/core/eval/metrics.ts pins the definitions): sMAPE in
 * percent with 0/0 := 0; MASE against the training part's one-step naive MAE, null when
 * that is undefined (constant training series). NaN (no usable pair) crosses JSON as null.
 */
export interface Metrics {
  mae: number
  rmse: number
  smape: number
  mase: number | null
  perHorizon: Array<{ step: number; mae: number; rmse: number }>
  perTarget: Record<string, { mae: number; rmse: number; smape?: number; mase?: number | null }>
  /** Share of the test pairs inside each prediction interval, by level ("80": 0.79); absent without intervals. */
  coverage?: Record<string, number>
  /** The run's split-conformal intervals (stored with the run; forecasts draw them). */
  intervals?: PredictionIntervals
}

/**
 * Split-conformal prediction intervals: forecast ± halfWidth[level][step · targets + target],
 * in original units, from absolute residuals of earlier windows (src/core/eval/calibrate.ts).
 */
export interface PredictionIntervals {
  levels: number[]
  /** Residuals each step's half-width rests on (the smallest sample over the steps and targets). */
  calibrationWindows: number
  /** By level ("80"), [horizon, targets] row-major. */
  halfWidth: Record<string, number[]>
  /**
   * The windows calibrated on: the warm start's out-of-sample history, validation and test
   * windows, of which each step keeps the latest `latest` residuals. These intervals (the
   * forecast's) use every one; each test window's, known at its origin, used those whose
   * target was observed by then, adapted by ACI with step `gamma` (0: none) over the test
   * part. Absent on runs calibrated on validation and history only.
   */
  calibratedOn?: { history: number; validation: number; test: number; latest: number; gamma: number }
}

export interface RunSummary {
  id: number
  datasetId: number
  status: RunStatus
  backend: string | null
  createdAt: string
  bestEpoch: number | null
  epochs: number
  bestValLoss: number | null
  config: RunConfig
  metrics: Metrics | null
  baselines: Record<string, Metrics> | null
  error?: ErrorData | null
  /** Set when the stored run could not be read (why); its config is then a placeholder, not the run's. */
  unreadable?: string
}

export interface Recovery {
  epoch: number
  step: number
  reason: string
  lr: number
  clipThreshold: number | null
}

export interface CheckpointInfo {
  kind: 'best' | 'last'
  epoch: number
  sha256: string
  sizeBytes: number
  createdAt: string
}

export interface RunDetail extends RunSummary {
  /** What trained it: tfjs, Node and Clipcast versions, and the threads that really computed (`threads`, `partnerCalls`). */
  versions: Record<string, string>
  epochRecords: EpochRecord[]
  recoveries: Recovery[]
  checkpoints: CheckpointInfo[]
  /** What the run was warned about (checkpoint fallbacks, imputation, constant columns, forecast inputs), each once. */
  warnings: Warning[]
}

/** The clipping part of a RunConfig: what a suggestion changes, and nothing else. */
export interface ClipSettings {
  clip: 'none' | 'norm' | 'tensor' | 'value' | 'auto'
  clipThreshold?: number
  clipPercentile?: number
}

export interface ClipSuggestion {
  mode: 'auto' | 'norm'
  /** The global-norm threshold (for auto: where AutoClip ends on this run's norms). */
  threshold: number
  /** The percentile the threshold comes from. */
  percentile: number
  /** Share of the run's recorded steps whose norm is above the threshold it would have used. */
  clippedShare: number
  why: string
  /** The run's config with these fields replaced is the suggested rerun. */
  config: ClipSettings
}

export interface ClipAdvice {
  runId: number
  /** One sentence: where the gradient norm sits and what the clipping did. */
  diagnosis: string
  suggestions: ClipSuggestion[]
}

export interface Forecast {
  runId: number
  origin: string
  horizon: number
  time: string[]
  values: Record<string, number[]>
  /** Prediction intervals by level ("80"): lower and upper bound per target and step; absent when the run has none. */
  intervals?: Record<string, { lower: Record<string, number[]>; upper: Record<string, number[]> }>
  /** From the Api, on a forecast made by this call only: the warnings it stored on its run (a stored forecast's are on the run already). */
  warnings?: Warning[]
}

/**
 * A run's test part as the run view draws it: the observed values over the test rows and the
 * model's prediction (original units) from each test window's origin, to step through.
 */
export interface TestPeriod {
  runId: number
  horizon: number
  targets: string[]
  /** The observed rows from the first shown window's origin to the last one's last target. */
  actual: { time: string[]; values: Record<string, Array<number | null>> }
  /** Test windows in time order: `at` is the origin's index in `actual.time`, so step s (1…horizon) is at `at + s`; predictions per target, [horizon]. */
  windows: Array<{ at: number; predicted: Record<string, number[]>; halfWidth?: Record<string, number[]> }>
  /** Test windows of the run; `windows` holds the latest of them when there are more than it can carry. */
  totalWindows: number
  /** The run's intervals (the forecast's); each window's own half-widths, calibrated on what was known at its origin, are its `halfWidth` (by level, [horizon, targets] row-major). */
  intervals?: PredictionIntervals
}

export interface ExportResult {
  path: string
  rows: number
}

export interface Comparison {
  runs: RunSummary[]
  differences: Record<string, unknown[]>
  metrics: Record<string, Array<number | null>>
  perHorizon: Record<string, Array<Array<number | null>>>
  notes: string[]
}
