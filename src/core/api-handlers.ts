import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import type { Api, ApiMethod, BackendStatus, DatasetSummary, ExportResult, Forecast, IssuedFile, Series, SystemInfo } from '../shared/api'
import { API_METHODS } from '../shared/api'
import type { ApiEventListener, ApiResult } from '../shared/api-bridge'
import type { TestForecasts } from '../shared/experiments'
import { assertImportable, isApiMethod, parseArgs } from '../shared/api-schemas'
import { ClipcastError, toErrorData } from '../shared/errors'
import type { RunConfigInput } from '../shared/run-config'
import type { Db } from './store/workspace'
import { importCsv } from './data/import'
import { previewImport } from './data/preview'
import { deleteDataset, getDataset, listDatasets, readColumn, readTimes } from './store/datasets'
import { deleteRun, detectInterruptedRuns, getRun, getRunSummary, listRuns } from './store/runs'
import { clipAdviceFor } from './clip-advice'
import { latestForecast } from './store/forecasts'
import { compareRuns } from './eval/compare'
import { chooseSaveFile, runTableHandlers } from './run-table-api'
import { experimentHandlers } from './experiments-api'
import { sweepHandlers } from './sweep-api'
import { assertConfigFits } from './train/memory-budget'
import { gatherRows, memoryReader, pickRows, type ColumnReader } from './data/series-sample'

/**
 * The one object that implements Api on the core services, shared by the Electron main
 * process and the browser host. Every call's arguments are checked against
 * src/shared/api-schemas.ts before any service sees them, and every path must have been
 * issued by this host (a dialog, an upload or a download slot).
 */

/** How services hand events to a host (IPC broadcast, Server-Sent Events). */
export type Emit = ApiEventListener

/** What the training service offers the handlers (TrainingManager satisfies it). */
export interface TrainingControl {
  start(config: RunConfigInput): Promise<{ runId: number }>
  stop(id: number): Promise<void>
  resume(id: number, options?: { epochs?: number }): Promise<{ runId: number }>
}

/** Native dialogs of the desktop host; absent in the browser host. */
export interface Dialogs {
  openCsv(): Promise<string | null>
  saveCsv(defaultName: string): Promise<string | null>
}

/** Download slots of the browser host: a file the server will hand to the browser. */
export interface Downloads {
  allocate(fileName: string): { path: string; url: string }
}

export interface HandlerContext {
  db: Db
  workspacePath: string
  host: 'electron' | 'browser'
  version: string
  emit: Emit
  grants: PathGrants
  /** Folder for uploaded CSVs (created on demand, owned by the host). */
  uploadDir: string
  training?: TrainingControl
  /**
   * Runs a job that needs the model (a forecast, the test part's predictions). The desktop
   * host runs it in a worker thread so its main process never does tensor work; by default
   * it runs in this process.
   */
  runTensorJob?: (job: TensorJob) => Promise<TensorJobResult>
  dialogs?: Dialogs
  downloads?: Downloads
}

const DEFAULT_SERIES_POINTS = 2000

/** Import progress as dataset:progress events, a few a second: enough for a progress bar. */
function progressEvents(emit: Emit): (progress: { fraction: number; rows: number }) => void {
  let lastEmitMs = 0
  return (progress) => {
    const now = Date.now()
    if (now - lastEmitMs < 100 && progress.fraction < 1) return
    lastEmitMs = now
    emit('dataset:progress', progress)
  }
}

export function createApiHandlers(ctx: HandlerContext): Api {
  const impl: Api = {
    async getSystemInfo(): Promise<SystemInfo> {
      return {
        version: ctx.version,
        workspace: ctx.workspacePath,
        host: ctx.host,
        nativeDialogs: ctx.dialogs !== undefined,
      }
    },

    async getBackends() {
      return { backends: (await tensorJob(ctx, { kind: 'backends' })) as BackendStatus[] }
    },

    async importDataset(request) {
      const path = request.path === undefined ? undefined : ctx.grants.resolve(request.path, 'read')
      const summary = await importCsv(ctx.db, { ...request, ...(path === undefined ? {} : { path }) }, { onProgress: progressEvents(ctx.emit) })
      ctx.emit('dataset:imported', { dataset: summary })
      return summary
    },

    async previewImport(request) {
      const path = request.path === undefined ? undefined : ctx.grants.resolve(request.path, 'read')
      return previewImport({ ...request, ...(path === undefined ? {} : { path }) }, { onProgress: progressEvents(ctx.emit) })
    },

    async listDatasets(): Promise<DatasetSummary[]> {
      return listDatasets(ctx.db)
    },

    async getSeries(request): Promise<Series> {
      const dataset = getDataset(ctx.db, request.datasetId)
      const names = request.columns ?? dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
      const start = request.last === undefined ? 0 : Math.max(0, dataset.rows - request.last)
      const range = { start, end: dataset.rows }
      // block by block: selecting a dataset of millions of rows must not read its columns whole
      const read: ColumnReader = (name, rows) => (name === null ? readTimes(ctx.db, dataset.id, rows) : readColumn(ctx.db, dataset.id, name, rows))
      const picked = pickRows(read, names, range, request.maxPoints ?? DEFAULT_SERIES_POINTS)
      const times = gatherRows(read, null, range, picked)
      const out: Series = { datasetId: dataset.id, time: Array.from(times, (t) => new Date(t).toISOString()), columns: {} }
      for (const name of names) out.columns[name] = Array.from(gatherRows(read, name, range, picked), (v) => (Number.isFinite(v) ? v : null))
      return out
    },

    async deleteDataset(id) {
      const active = listRuns(ctx.db).filter((run) => run.datasetId === id && (run.status === 'running' || run.status === 'queued'))
      if (active.length > 0) {
        throw new ClipcastError('RUN_ALREADY_ACTIVE', `Dataset ${id} is being trained on by run ${active[0]!.id}.`, { hint: 'Stop the run first, then delete the dataset.' })
      }
      deleteDataset(ctx.db, id)
    },

    async startRun(config) {
      assertConfigFits(ctx.db, config)
      return requireTraining(ctx).start(config)
    },

    async stopRun(id) {
      await requireTraining(ctx).stop(id)
    },

    async resumeRun(id, options) {
      return requireTraining(ctx).resume(id, options)
    },

    async listRuns() {
      // a run whose process died (a CLI run killed while the app is open) shows as interrupted now, not at the next start
      detectInterruptedRuns(ctx.db)
      return listRuns(ctx.db)
    },

    async getRun(id) {
      return getRun(ctx.db, id)
    },

    async getClipAdvice(id) {
      return clipAdviceFor(ctx.db, id)
    },

    async deleteRun(id) {
      deleteRun(ctx.db, id)
    },

    async compareRuns(ids) {
      return compareRuns(ids.map((id) => getRun(ctx.db, id)))
    },

    async forecast(id) {
      return ensureForecast(ctx, id)
    },

    async exportRun(request) {
      const path = ctx.grants.resolve(request.path, 'write')
      if (request.what === 'forecast') await ensureForecast(ctx, request.runId)
      const result = (await tensorJob(ctx, { kind: 'export', runId: request.runId, what: request.what, path })) as ExportResult
      // the caller's handle, not the host's file system path (opaque in the browser host)
      return { ...result, path: request.path }
    },

    async chooseImportFile(): Promise<IssuedFile | null> {
      if (!ctx.dialogs) throw noDialogs()
      const path = await ctx.dialogs.openCsv()
      if (path === null) return null
      assertImportable(path)
      return { path: ctx.grants.issue(path, 'read'), name: basename(path) }
    },

    async uploadCsv(name, bytes): Promise<IssuedFile> {
      assertImportable(name)
      // one folder per upload keeps the original file name, which the import records as the source
      const folder = join(ctx.uploadDir, randomUUID())
      mkdirSync(folder, { recursive: true })
      const path = join(folder, name)
      try {
        writeFileSync(path, bytes)
      } catch (error) {
        throw new ClipcastError('FILE_READ', `Could not store the uploaded file ${name}: ${(error as Error).message}.`, {
          hint: 'Check the free space of the temporary folder and try again.',
          cause: error,
        })
      }
      return { path: ctx.grants.issue(path, 'read'), name }
    },

    async openDroppedFile(path): Promise<IssuedFile> {
      if (!ctx.dialogs) throw noDialogs()
      // the page names this path, so only what an import may read is granted: an existing CSV-like file
      assertImportable(path)
      if (!isAbsolute(path) || !isFile(path)) {
        throw new ClipcastError('FILE_READ', `${basename(path)} is not a file that can be read.`, { hint: 'Drop the CSV file itself, not a folder or a shortcut.' })
      }
      return { path: ctx.grants.issue(path, 'read'), name: basename(path) }
    },

    async chooseExportFile(request): Promise<IssuedFile | null> {
      return chooseSaveFile(ctx, `clipcast-run-${request.runId}-${request.what}.csv`)
    },
    ...runTableHandlers(ctx),
    ...experimentHandlers(ctx),
    ...sweepHandlers(ctx),
  }
  return guardApi(impl)
}

/** Wraps every method so its arguments are parsed by the method's schema first. */
export function guardApi(impl: Api): Api {
  const guarded = {} as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) {
    const fn = impl[method] as (...args: unknown[]) => Promise<unknown>
    guarded[method] = async (...args: unknown[]) => fn.apply(impl, parseArgs(method, args) as unknown[])
  }
  return guarded as unknown as Api
}

/**
 * One call from a host: the method name and argument list as they arrived (untrusted).
 * Never throws: the result carries either the value or the error as data.
 */
export async function callApi(api: Api, method: unknown, args: unknown): Promise<ApiResult<unknown>> {
  try {
    if (!isApiMethod(method)) {
      throw new ClipcastError('UNKNOWN_METHOD', `There is no method called ${JSON.stringify(String(method)).slice(0, 80)}.`, {
        hint: 'The renderer and the host are from different versions; restart Clipcast.',
      })
    }
    if (!Array.isArray(args)) throw new ClipcastError('BAD_REQUEST', `The arguments of ${method} must be an array.`)
    const fn = api[method] as (...a: unknown[]) => Promise<unknown>
    const value = await fn(...args)
    return { ok: true, value: value === undefined ? null : value }
  } catch (error) {
    return { ok: false, error: toErrorData(error) }
  }
}

/**
 * Paths the renderer may name: each was chosen by the user in a dialog, uploaded, or
 * allocated as a download slot. With `opaque` handles (browser host) the renderer never sees
 * the server's file system; in the desktop host the handle is the chosen path itself.
 */
export class PathGrants {
  private readonly granted = new Map<string, { path: string; mode: 'read' | 'write' }>()

  constructor(private readonly opaque: boolean, private readonly limit = 1000) {}

  issue(path: string, mode: 'read' | 'write'): string {
    const handle = this.opaque ? `issued:${randomUUID()}` : path
    this.granted.delete(handle)
    this.granted.set(handle, { path, mode })
    // forget the oldest grants first; a long session cannot grow this without bound
    while (this.granted.size > this.limit) this.granted.delete(this.granted.keys().next().value as string)
    return handle
  }

  resolve(handle: string, mode: 'read' | 'write'): string {
    const grant = this.granted.get(handle)
    if (!grant || (mode === 'write' && grant.mode !== 'write')) {
      throw new ClipcastError('PATH_NOT_ALLOWED', `The path ${JSON.stringify(handle).slice(0, 120)} was not chosen in a file dialog of this window.`, {
        hint: mode === 'read' ? 'Choose the file with "Import CSV…" or drop it on the window.' : 'Choose where to save with the Export button.',
      })
    }
    return grant.path
  }
}

/** Min/max downsampling of columns already in memory (see pickRows). */
export function downsampleIndices(columns: ArrayLike<number>[], rows: number, maxPoints: number): number[] {
  const names = columns.map((_, i) => String(i))
  return pickRows(memoryReader(new Map(names.map((name, i) => [name, columns[i]!]))), names, { start: 0, end: rows }, maxPoints)
}

/** Work that loads a run's model: computing its forecast, exporting its test part. */
export type TensorJob = { kind: 'forecast'; runId: number } | { kind: 'export'; runId: number; what: 'forecast' | 'test'; path: string } | { kind: 'backends' } | { kind: 'testForecasts'; runId: number }
export type TensorJobResult = Forecast | ExportResult | BackendStatus[] | TestForecasts

/** The run's stored forecast, computed (and stored) the first time it is asked for. */
async function ensureForecast(ctx: HandlerContext, runId: number): Promise<Forecast> {
  getRunSummary(ctx.db, runId)
  try {
    return stripStored(latestForecast(ctx.db, runId))
  } catch (error) {
    if (!(error instanceof ClipcastError) || error.code !== 'NOT_EVALUATED') throw error
  }
  return (await tensorJob(ctx, { kind: 'forecast', runId })) as Forecast
}

function tensorJob(ctx: HandlerContext, job: TensorJob): Promise<TensorJobResult> {
  return ctx.runTensorJob ? ctx.runTensorJob(job) : runTensorJobHere(ctx.db, job)
}

/**
 * Runs a tensor job in this thread (browser host, tests, the desktop's worker). TensorFlow.js
 * is imported on first use only, so a host that never calls this never loads it.
 */
export async function runTensorJobHere(db: Db, job: TensorJob): Promise<TensorJobResult> {
  // the backend list probes GPUs and native packages: in the desktop app that happens in the compute process, never in the window's
  if (job.kind === 'backends') return (await import('./backend-report')).describeBackends()
  const { selectRunBackend } = await import('./eval/inference')
  await selectRunBackend(getRunSummary(db, job.runId))
  if (job.kind === 'testForecasts') return (await import('./eval/test-forecasts')).runTestForecasts(db, job.runId)
  if (job.kind === 'forecast') {
    const { makeForecast } = await import('./eval/forecast')
    return stripStored((await makeForecast(db, job.runId)).forecast)
  }
  const { exportRun } = await import('./eval/export-run')
  return exportRun(db, { runId: job.runId, what: job.what, path: job.path })
}

function stripStored(forecast: Forecast): Forecast {
  const { runId, origin, horizon, time, values } = forecast
  return { runId, origin, horizon, time, values }
}

function requireTraining(ctx: HandlerContext): TrainingControl {
  // only a host built without a training service (a test, an embedding) gets here
  if (!ctx.training) {
    throw new ClipcastError('INTERNAL', 'This host was started without a training service.', {
      hint: 'Train from the desktop app, `clipcast serve` or `clipcast train`, which all run training.',
    })
  }
  return ctx.training
}

function noDialogs(): ClipcastError {
  return new ClipcastError('BAD_REQUEST', 'This host has no native file dialogs.', {
    hint: 'In the browser, choose a file with the file picker (it is uploaded), and exports download through the browser.',
  })
}

export { assertImportable }

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** Removes a host's temporary upload folder on shutdown. */
export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true })
}

