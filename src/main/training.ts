import type { Worker } from 'node:worker_threads'
import type { Forecast } from '../shared/api'
import type { Emit, TrainingControl } from '../core/api-handlers'
import { TrainingManager } from '../core/train/runs-service'
import type { TrainingWorkerData } from '../core/train/protocol'
import { fromErrorData, type ErrorData } from '../shared/errors'
// electron-vite bundles each worker into its own file and hands back a Worker factory
import createTrainingWorker from '../core/train/worker?nodeWorker'
import createForecastWorker from './forecast-worker?nodeWorker'

/** The desktop app's training service: runs train in the bundled worker thread, never on the main thread. */
export function createTrainingService(workspacePath: string, emit: Emit): TrainingControl & { close: () => Promise<void> } {
  return new TrainingManager({
    dbPath: workspacePath,
    onEvent: emit,
    createWorker: (data: TrainingWorkerData): Worker => createTrainingWorker({ workerData: data }),
  })
}

/** A forecast is tensor work too: one short-lived worker per request. */
export function computeForecastInWorker(workspacePath: string): (runId: number) => Promise<Forecast> {
  return (runId) =>
    new Promise<Forecast>((resolve, reject) => {
      const worker = createForecastWorker({ workerData: { dbPath: workspacePath, runId } })
      worker.once('message', (message: { ok: true; forecast: Forecast } | { ok: false; error: ErrorData }) => {
        if (message.ok) resolve(message.forecast)
        else reject(fromErrorData(message.error))
      })
      worker.once('error', reject)
      worker.once('exit', (code) => {
        if (code !== 0) reject(new Error(`The forecast worker exited with code ${code}.`))
      })
    })
}
