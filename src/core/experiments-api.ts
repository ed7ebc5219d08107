import type { Api } from '../shared/api'
import type { TestForecasts } from '../shared/experiments'
import type { HandlerContext } from './api-handlers'
import { tensorJob } from './tensor-jobs'
import { loadRunGroups } from './eval/run-groups'
import { changeRunLabels, getRunLabels } from './store/run-labels'
import { getRunSummary } from './store/runs'
import { readTestForecasts } from './store/test-forecasts'

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
      // a finished run's forecasts do not change: stored the first time, read while its best checkpoint stands
      const stored = readTestForecasts(ctx.db, id)
      if (stored) return stored
      // computing them loads the run's model: a tensor job, in the desktop's compute process
      return (await tensorJob(ctx, { kind: 'testForecasts', runId: id })) as TestForecasts
    },
    async groupRuns(request) {
      return loadRunGroups(ctx.db, request)
    },
  }
}
