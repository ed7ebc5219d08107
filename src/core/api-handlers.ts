import type { Api, BackendStatus, IssuedFile, SystemInfo } from '../shared/api'
import type { ApiEventListener } from '../shared/api-bridge'
import type { Db } from './store/workspace'
import { guardApi } from './api-call'
import { upgradeTradingDayDatasets } from './data/trading-day-upgrade'
import { datasetHandlers } from './dataset-handlers'
import { experimentHandlers } from './experiments-api'
import { chooseSaveFile, fileHandlers } from './file-handlers'
import type { PathGrants } from './path-grants'
import { runHandlers } from './run-handlers'
import { runTableHandlers } from './run-table-api'
import { sweepHandlers } from './sweep-api'
import { tensorJob, type TensorJob, type TensorJobResult } from './tensor-jobs'
import type { SweepTrainer } from './train/sweep'
import type { TrainingManager } from './train/training-manager'

/**
 * The one object that implements Api on the core services, shared by the Electron main
 * process and the browser host. Every call's arguments are checked against
 * src/shared/api-schemas.ts before any service sees them, and every path must have been
 * issued by this host (a dialog, an upload or a download slot).
 */

/** How services hand events to a host (IPC broadcast, Server-Sent Events). */
export type Emit = ApiEventListener

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
  /** The host's TrainingManager (src/core/train/training-manager.ts): what the run handlers call of it, and what sweeps need besides. */
  training?: Pick<TrainingManager, 'start' | 'stop' | 'resume'> & Partial<SweepTrainer>
  /**
   * Runs a job that needs the model (a forecast, the test part's predictions). The desktop
   * host runs it in a worker thread so its main process never does tensor work; by default
   * it runs in this process.
   */
  runTensorJob?: (job: TensorJob) => Promise<TensorJobResult>
  dialogs?: Dialogs
  downloads?: Downloads
}

export function createApiHandlers(ctx: HandlerContext): Api {
  upgradeTradingDayDatasets(ctx.db)
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

    ...datasetHandlers(ctx),
    ...runHandlers(ctx),
    ...fileHandlers(ctx),

    async chooseExportFile(request): Promise<IssuedFile | null> {
      return chooseSaveFile(ctx, `clipcast-run-${request.runId}-${request.what}.csv`)
    },
    ...runTableHandlers(ctx),
    ...experimentHandlers(ctx),
    ...sweepHandlers(ctx),
  }
  return guardApi(impl)
}
