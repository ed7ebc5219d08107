import type { Api, ExportResult, TestPeriod } from '../shared/api'
import { ClipcastError } from '../shared/errors'
import type { HandlerContext } from './api-handlers'
import { clipAdviceFor } from './clip-advice'
import { compareRuns } from './eval/compare'
import { deleteRun, detectInterruptedRuns, getRun, getRunSummary, listRuns } from './store/runs'
import { ensureForecast, tensorJob } from './tensor-jobs'

type RunMethods = 'startRun' | 'stopRun' | 'resumeRun' | 'listRuns' | 'getRun' | 'getClipAdvice' | 'deleteRun' | 'compareRuns' | 'forecast' | 'getTestPeriod' | 'exportRun'

/** The run methods of the Api: training through the host's training manager, and what a run left behind. */
export function runHandlers(ctx: HandlerContext): Pick<Api, RunMethods> {
  return {
    async startRun(config) {
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

    async getTestPeriod(id) {
      getRunSummary(ctx.db, id)
      return (await tensorJob(ctx, { kind: 'testPeriod', runId: id })) as TestPeriod
    },

    async exportRun(request) {
      const path = ctx.grants.resolve(request.path, 'write')
      if (request.what === 'forecast') await ensureForecast(ctx, request.runId)
      const result = (await tensorJob(ctx, { kind: 'export', runId: request.runId, what: request.what, path })) as ExportResult
      // the caller's handle, not the host's file system path (opaque in the browser host)
      return { ...result, path: request.path }
    },
  }
}

function requireTraining(ctx: HandlerContext): NonNullable<HandlerContext['training']> {
  // only a host built without a training service (a test, an embedding) gets here
  if (!ctx.training) {
    throw new ClipcastError('INTERNAL', 'This host was started without a training service.', {
      hint: 'Train from the desktop app, `clipcast serve` or `clipcast train`, which all run training.',
    })
  }
  return ctx.training
}
