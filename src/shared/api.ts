import type { ExportFileRequest, ExportRequest, ImportRequest, ResumeOptions, ResumeSweepOptions, RunTableExportRequest, RunTableRequest, SeriesRequest } from './api-schemas'
import type { DatasetSummary, ImportPreview, Series } from './dataset-types'
import type { BackendStatus, IssuedFile, SystemInfo } from './host-types'
import type { ClipAdvice, Comparison, ExportResult, Forecast, RunDetail, RunSummary, TestPeriod } from './run-types'
import type { RunTable } from './run-table'
import type { GroupRequest, RunGroups, TestForecasts } from './experiments'
import type { RunLabelChange, RunLabels } from './run-labels'
import type { SweepDetail, SweepRequest } from './sweeps'
import type { RunConfigInput } from './run-config'

/**
 * The one contract between the renderer and either host (Electron IPC or `clipcast serve`):
 * the Api and API_METHODS here; the types it carries in dataset-types.ts, run-types.ts and
 * host-types.ts, re-exported from here.
 */

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
  resumeSweep(id: number, options?: ResumeSweepOptions): Promise<SweepDetail>
  /** Starts no more trials and stops the running ones (they stay resumable). */
  stopSweep(id: number): Promise<void>
  /** The run's forecasts over its test period with the actual values, and its MAE per target and horizon step (computed from its best checkpoint once, then stored with the run while that checkpoint stands). */
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

export * from './dataset-types'
export * from './run-types'
export * from './host-types'
/** The requests are the schemas' types (src/shared/api-schemas.ts), so a field is declared once. */
export type { ExportFileRequest, ExportRequest, ImportRequest, ResumeOptions, ResumeSweepOptions, RunTableExportRequest, RunTableRequest, SeriesRequest } from './api-schemas'
export { API_EVENTS, toApiEvent, byEvent, runFraction, type ApiEvent, type ApiEventName, type ApiEvents, type AppCommand } from './events'
