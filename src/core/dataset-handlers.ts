import type { Api, DatasetSummary, Series } from '../shared/api'
import { ClipcastError } from '../shared/errors'
import { isActiveStatus } from '../shared/run-status'
import type { Emit, HandlerContext } from './api-handlers'
import { alreadyImported } from './data/already-imported'
import { importCsv } from './data/import'
import { previewImport } from './data/preview'
import { readSeries } from './series-read'
import { deleteDataset, listDatasets } from './store/datasets'
import { listRuns } from './store/runs'

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

/** The dataset methods of the Api: import (and its preview), list, read, delete. */
export function datasetHandlers(ctx: HandlerContext): Pick<Api, 'importDataset' | 'previewImport' | 'listDatasets' | 'getSeries' | 'deleteDataset'> {
  return {
    async importDataset(request) {
      const path = request.path === undefined ? undefined : ctx.grants.resolve(request.path, 'read')
      const summary = await importCsv(ctx.db, { ...request, ...(path === undefined ? {} : { path }) }, { onProgress: progressEvents(ctx.emit) })
      ctx.emit('dataset:imported', { dataset: summary })
      return summary
    },

    async previewImport(request) {
      const path = request.path === undefined ? undefined : ctx.grants.resolve(request.path, 'read')
      const resolved = { ...request, ...(path === undefined ? {} : { path }) }
      const preview = await previewImport(resolved, { onProgress: progressEvents(ctx.emit) })
      const existing = await alreadyImported(ctx.db, resolved)
      return existing === undefined ? preview : { ...preview, alreadyImported: existing }
    },

    async listDatasets(): Promise<DatasetSummary[]> {
      return listDatasets(ctx.db)
    },

    async getSeries(request): Promise<Series> {
      return readSeries(ctx.db, request)
    },

    async deleteDataset(id) {
      const active = listRuns(ctx.db).filter((run) => run.datasetId === id && isActiveStatus(run.status))
      if (active.length > 0) {
        throw new ClipcastError('RUN_ALREADY_ACTIVE', `Dataset ${id} is being trained on by run ${active[0]!.id}.`, { hint: 'Stop the run first, then delete the dataset.' })
      }
      deleteDataset(ctx.db, id)
    },
  }
}
