import type { ExportFileRequest, ExportRequest, ImportRequest, ResumeOptions, RunTableExportRequest, RunTableRequest, SeriesRequest } from './api-schemas'
import type { RunTable } from './run-table'
import type { GroupRequest, RunGroups, TestForecasts } from './experiments'
import type { RunLabelChange, RunLabels } from './run-labels'
import type { SweepDetail, SweepRequest } from './sweeps'
import type { ErrorData } from './errors'
import type { RunConfig, RunConfigInput, RunStatus } from './run-config'

/** The one contract between the renderer and either host (Electron IPC or `clipcast serve`). */

export type Frequency = 'secondly' | 'minutely' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular' | `every ${number}ms`

export interface Warning {
  code: string
  message: string
}

export interface DatasetColumn {
  name: string
  kind: 'numeric' | 'text'
  missing: number
  stats?: { min: number; max: number; mean: number; std: number }
}

export interface DatasetSummary {
  id: number
  name: string
  rows: number
  timeColumn: string
  frequency: Frequency
  start: string
  end: string
  columns: DatasetColumn[]
  warnings: Warning[]
  sourceName?: string
  sha256?: string
  importedAt?: string
  /** Luxon tokens the source wrote its times in (`yyyy'Q'q`); exports write them back that way. Absent: ISO 8601. */
  timeFormat?: string
  /** IANA zone of the source's wall-clock times (stored in UTC). */
  timeZone?: string
}

export type NamedFrequency = 'secondly' | 'minutely' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular'
export const NAMED_FREQUENCIES: readonly NamedFrequency[] = ['secondly', 'minutely', 'hourly', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']

/** What an import would make of a file, before anything is written (the settings are the request's, the rest detected). */
export interface ImportPreview {
  fileName: string
  header: string[]
  /** The first data rows as text. */
  rows: string[][]
  /** What was detected or chosen; each is a dropdown in the preview. */
  settings: {
    /** One column, or several comma-separated (`year,quarter`). */
    timeColumn: string
    /** The format's Luxon tokens, or iso / epoch / year. */
    timeFormat: string
    timeFormatLabel: string
    timeZone: string
    seriesColumn: string | null
    reshape: 'year-by-month' | null
    frequency: Frequency
  }
  /** The values each dropdown offers. */
  options: { timeColumns: string[]; timeFormats: string[]; seriesColumns: string[]; timeZones: string[]; frequencies: Frequency[] }
  /** The dataset the import would make; absent when these settings cannot import the file (then `error` says why). */
  result?: { rows: number; frequency: Frequency; start: string; end: string; columns: DatasetColumn[]; warnings: Warning[] }
  error?: ErrorData
}

export interface Series {
  datasetId: number
  /** ISO 8601 UTC timestamps. */
  time: string[]
  columns: Record<string, Array<number | null>>
}

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

/** One TensorFlow.js backend on this machine, as `clipcast backends` prints it. */
export interface BackendStatus {
  /** 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm' or 'cpu', in auto's order. */
  name: string
  /** It can be forced with --backend (a software WebGPU adapter counts: only auto passes it over). */
  available: boolean
  /** Why not available, or why auto passes it over; null when auto would take it. */
  reason: string | null
  /** The GPU: the WebGPU adapter ('llvmpipe: Mesa 25.0.7 … (vulkan)') or 'CUDA'; null on the CPU. */
  device: string | null
  /** Threads it computes with. */
  threads: number
}

export interface SystemInfo {
  version: string
  workspace: string
  /** Which host serves the renderer; the browser host has no native file dialogs (it uploads and downloads). */
  host?: 'electron' | 'browser'
  nativeDialogs?: boolean
}

/**
 * A file the host let the renderer name: chosen in a native dialog (desktop) or uploaded /
 * allocated for download (browser host). `path` is an opaque handle only the issuing host
 * accepts back; any other path is refused with PATH_NOT_ALLOWED.
 */
export interface IssuedFile {
  path: string
  name: string
  /** Browser host: where the written export can be downloaded (same origin). */
  downloadUrl?: string
}

export interface Api {
  getSystemInfo(): Promise<SystemInfo>
  /** What `clipcast backends --json` prints, probed in a compute process (it loads native packages and asks for a GPU adapter, which takes seconds, so it is not part of getSystemInfo). */
  getBackends(): Promise<{ backends: BackendStatus[] }>
  importDataset(req: ImportRequest): Promise<DatasetSummary>
  /** Reads the whole file as importDataset would and says what it would make of it; writes nothing. */
  previewImport(req: ImportRequest): Promise<ImportPreview>
  listDatasets(): Promise<DatasetSummary[]>
  getSeries(req: SeriesRequest): Promise<Series>
  deleteDataset(id: number): Promise<void>
  startRun(config: RunConfigInput): Promise<{ runId: number }>
  stopRun(id: number): Promise<void>
  resumeRun(id: number, options?: ResumeOptions): Promise<{ runId: number }>
  listRuns(): Promise<RunSummary[]>
  getRun(id: number): Promise<RunDetail>
  /** The run's gradient diagnosis and clip suggestions from its own step norms; NO_STEP_NORMS before its first epoch. */
  getClipAdvice(id: number): Promise<ClipAdvice>
  deleteRun(id: number): Promise<void>
  compareRuns(ids: number[]): Promise<Comparison>
  forecast(id: number): Promise<Forecast>
  /** A completed run's test part: actuals and the model's predictions from each test window's origin. */
  getTestPeriod(id: number): Promise<TestPeriod>
  exportRun(req: ExportRequest): Promise<ExportResult>
  /** Desktop: a native open dialog for a CSV; null when cancelled. The browser host refuses (upload instead). */
  chooseImportFile(): Promise<IssuedFile | null>
  /** Hands the host a CSV's bytes (browser upload, drag-and-drop); returns a path importDataset accepts. */
  uploadCsv(name: string, bytes: Uint8Array): Promise<IssuedFile>
  /** Desktop: a CSV dropped from the file manager, by its path, so the host streams it and the page never holds it. The browser host refuses (upload instead). */
  openDroppedFile(path: string): Promise<IssuedFile>
  /** A path exportRun may write: a native save dialog (desktop) or a download slot (browser host). */
  chooseExportFile(req: ExportFileRequest): Promise<IssuedFile | null>
  /** Every run as a row, every setting and metric a column; loss and gradient columns from each run's best or last epoch. */
  getRunTable(req: RunTableRequest): Promise<RunTable>
  /** A path exportRunTable may write (save dialog or download slot). */
  chooseRunTableFile(): Promise<IssuedFile | null>
  exportRunTable(req: RunTableExportRequest): Promise<ExportResult>
  getRunLabels(id: number): Promise<RunLabels>
  /** Adds and removes tags and replaces the note, in one transaction; returns the labels after. */
  changeRunLabels(id: number, change: RunLabelChange): Promise<RunLabels>
  listSweeps(): Promise<SweepDetail[]>
  getSweep(id: number): Promise<SweepDetail>
  /** Plans the sweep (its queue is stored) and starts working through it in the host; sweep:progress follows it. */
  startSweep(req: SweepRequest): Promise<SweepDetail>
  /** Finishes what is left of a sweep: its stopped or interrupted runs resumed, its trials not yet begun started. */
  resumeSweep(id: number, options?: { parallel?: number }): Promise<SweepDetail>
  /** Starts no more trials and stops the running ones (they stay resumable). */
  stopSweep(id: number): Promise<void>
  /** The run's forecasts over its test period with the actual values, and its MAE per target and horizon step (computed from its best checkpoint). */
  getTestForecasts(id: number): Promise<TestForecasts>
  /** Runs grouped by a setting or by seed, with mean ± spread of a metric and of the loss per epoch. */
  groupRuns(req: GroupRequest): Promise<RunGroups>
}

/** Drives the preload bridge and both hosts: a method missing here is a compile error. */
export const API_METHODS = {
  getSystemInfo: 1,
  getBackends: 1,
  importDataset: 1,
  previewImport: 1,
  listDatasets: 1,
  getSeries: 1,
  deleteDataset: 1,
  startRun: 1,
  stopRun: 1,
  resumeRun: 1,
  listRuns: 1,
  getRun: 1,
  getClipAdvice: 1,
  deleteRun: 1,
  compareRuns: 1,
  forecast: 1,
  getTestPeriod: 1,
  exportRun: 1,
  chooseImportFile: 1,
  uploadCsv: 1,
  openDroppedFile: 1,
  chooseExportFile: 1,
  getRunTable: 1,
  chooseRunTableFile: 1,
  exportRunTable: 1,
  getRunLabels: 1,
  changeRunLabels: 1,
  listSweeps: 1,
  getSweep: 1,
  startSweep: 1,
  resumeSweep: 1,
  stopSweep: 1,
  getTestForecasts: 1,
  groupRuns: 1,
} satisfies Record<keyof Api, 1>

export type ApiMethod = keyof Api

/** The requests are the schemas' types (src/shared/api-schemas.ts), so a field is declared once. */
export type { ExportFileRequest, ExportRequest, ImportRequest, ResumeOptions, RunTableExportRequest, RunTableRequest, SeriesRequest } from './api-schemas'
export { API_EVENTS, toApiEvent, byEvent, type ApiEvent, type ApiEventName, type ApiEvents, type AppCommand } from './events'
