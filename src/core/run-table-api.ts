import type { Api } from '../shared/api'
import type { HandlerContext } from './api-handlers'
import { exportRunTable, loadRunTable } from './eval/run-table'
import { detectInterruptedRuns } from './store/runs'
import { chooseSaveFile } from './file-handlers'

/** The run table's methods of the Api: the table for the app, and its CSV export. */
export function runTableHandlers(ctx: HandlerContext): Pick<Api, 'getRunTable' | 'chooseRunTableFile' | 'exportRunTable'> {
  return {
    async getRunTable(request) {
      detectInterruptedRuns(ctx.db)
      return loadRunTable(ctx.db, request.summary)
    },
    async chooseRunTableFile() {
      return chooseSaveFile(ctx, 'clipcast-runs.csv')
    },
    async exportRunTable(request) {
      const path = ctx.grants.resolve(request.path, 'write')
      const written = exportRunTable(ctx.db, path, request.summary)
      // the caller's handle, not the host's file system path (opaque in the browser host)
      return { path: request.path, rows: written.rows }
    },
  }
}
