import type { BackendStatus, ExportResult, Forecast, TestPeriod } from '../shared/api'
import type { TestForecasts } from '../shared/experiments'
import { hasErrorCode } from '../shared/errors'
import type { HandlerContext } from './api-handlers'
import { latestForecast } from './store/forecasts'
import { getRunSummary } from './store/runs'
import type { Db } from './store/workspace'

/** Work that loads a run's model: computing its forecast, predicting over its test part, exporting it. */
export type TensorJob = { kind: 'forecast'; runId: number } | { kind: 'testPeriod'; runId: number } | { kind: 'export'; runId: number; what: 'forecast' | 'test'; path: string } | { kind: 'backends' } | { kind: 'testForecasts'; runId: number }
export type TensorJobResult = Forecast | TestPeriod | ExportResult | BackendStatus[] | TestForecasts

/** The run's stored forecast, computed (and stored) the first time it is asked for. */
export async function ensureForecast(ctx: HandlerContext, runId: number): Promise<Forecast> {
  getRunSummary(ctx.db, runId)
  try {
    return stripStored(latestForecast(ctx.db, runId))
  } catch (error) {
    if (!hasErrorCode(error, 'NOT_EVALUATED')) throw error
  }
  return (await tensorJob(ctx, { kind: 'forecast', runId })) as Forecast
}

/** A job on the host's tensor runner (the desktop's compute process), else in this thread. */
export function tensorJob(ctx: HandlerContext, job: TensorJob): Promise<TensorJobResult> {
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
  if (job.kind === 'forecast') {
    const { makeForecast } = await import('./eval/forecast')
    const { forecast, warnings } = await makeForecast(db, job.runId)
    // what the run view shows of the run changes by these only: it adds them, without reading the run again
    return { ...stripStored(forecast), warnings }
  }
  if (job.kind === 'testForecasts') return (await import('./eval/test-forecasts')).runTestForecasts(db, job.runId)
  if (job.kind === 'testPeriod') return (await import('./eval/test-period')).testPeriod(db, job.runId)
  const { exportRun } = await import('./eval/export-run')
  return exportRun(db, { runId: job.runId, what: job.what, path: job.path })
}

/** The forecast as the Api returns it: without the store's row id and time, with everything else (its intervals too). */
function stripStored(forecast: Forecast & { id?: number; createdAt?: string }): Forecast {
  const { id: _id, createdAt: _createdAt, ...plain } = forecast
  return plain
}
