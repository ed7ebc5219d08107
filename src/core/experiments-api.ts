import type { Api } from '../shared/api'
import type { TestForecasts } from '../shared/experiments'
import { runTensorJobHere, type HandlerContext, type TensorJob } from './api-handlers'
import { loadRunGroups } from './eval/run-groups'
import { changeRunLabels, getRunLabels } from './store/run-labels'
import { getRunSummary } from './store/runs'

/** The Api methods behind Compare's forecasts, heatmaps and groups, and the run labels (tags and note). */
export function experimentHandlers(ctx: HandlerContext): Pick<Api, 'getRunLabels' | 'changeRunLabels' | 'getTestForecasts' | 'groupRuns'> {
  return {
    async getRunLabels(id) {
      return getRunLabels(ctx.db, id)
    },
    async changeRunLabels(id, change) {
      return changeRunLabels(ctx.db, id, change)
    },
    async getTestForecasts(id) {
      getRunSummary(ctx.db, id)
      // it loads the run's model: a tensor job, in the desktop's compute process
      const job: TensorJob = { kind: 'testForecasts', runId: id }
      return (await (ctx.runTensorJob ? ctx.runTensorJob(job) : runTensorJobHere(ctx.db, job))) as TestForecasts
    },
    async groupRuns(request) {
      return loadRunGroups(ctx.db, request)
    },
  }
}
