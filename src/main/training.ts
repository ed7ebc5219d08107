import type { Worker } from 'node:worker_threads'
import type { ExportResult, Forecast } from '../shared/api'
import type { Emit, TensorJob, TrainingControl } from '../core/api-handlers'
import { TrainingManager } from '../core/train/runs-service'
import type { TrainingWorkerData } from '../core/train/protocol'
import { fromErrorData, type ErrorData } from '../shared/errors'
// electron-vite bundles each worker into its own file and hands back a Worker factory
import createTrainingWorker from '../core/train/worker?nodeWorker'
import createTensorWorker from './tensor-worker?nodeWorker'

/** The desktop app's training service: runs train in the bundled worker thread, never on the main thread. */
export function createTrainingService(workspacePath: string, emit: Emit): TrainingControl & { close: () => Promise<void> } {
  return new TrainingManager({
    dbPath: workspacePath,
    onEvent: emit,
    createWorker: (data: TrainingWorkerData): Worker => createTrainingWorker({ workerData: data }),
  })
}

/** Forecasts and test exports load the model: one short-lived worker per job. */
export function tensorJobsInWorker(workspacePath: string): (job: TensorJob) => Promise<Forecast | ExportResult> {
  return (job) =>
    new Promise((resolve, reject) => {
      const worker = createTensorWorker({ workerData: { dbPath: workspacePath, job } })
      let settled = false
      worker.once('message', (message: { ok: true; value: Forecast | ExportResult } | { ok: false; error: ErrorData }) => {
        settled = true
        if (message.ok) resolve(message.value)
        else reject(fromErrorData(message.error))
      })
      worker.once('error', reject)
      worker.once('exit', (code: number) => {
        if (!settled) reject(new Error(`The worker exited with code ${code} before answering.`))
      })
    })
}
