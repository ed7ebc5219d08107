import { basename } from 'node:path'
import type { Api, IssuedFile } from '../shared/api'
import { ClipcastError } from '../shared/errors'
import type { HandlerContext } from './api-handlers'
import { exportRunTable, loadRunTable } from './eval/run-table'
import { detectInterruptedRuns } from './store/runs'

/** A path the page may write: the desktop's save dialog, or a download slot of the browser host; null when cancelled. */
export async function chooseSaveFile(ctx: HandlerContext, fileName: string): Promise<IssuedFile | null> {
  if (ctx.dialogs) {
    const path = await ctx.dialogs.saveCsv(fileName)
    if (path === null) return null
    return { path: ctx.grants.issue(path, 'write'), name: basename(path) }
  }
  if (ctx.downloads) {
    const slot = ctx.downloads.allocate(fileName)
    return { path: ctx.grants.issue(slot.path, 'write'), name: fileName, downloadUrl: slot.url }
  }
  throw new ClipcastError('BAD_REQUEST', 'This host can neither show a save dialog nor offer a download.', { hint: 'Use clipcast runs --csv FILE from a terminal.' })
}

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
