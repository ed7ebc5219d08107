import { parentPort, workerData } from 'node:worker_threads'
import { runTensorJobHere, type TensorJob } from '../core/api-handlers'
import { openWorkspace } from '../core/store/workspace'
import { toErrorData } from '../shared/errors'

// one tensor job (forecast, test export) in a worker thread, with its own workspace connection
// and TensorFlow.js backend, so the main process never does tensor work
const { dbPath, job } = workerData as { dbPath: string; job: TensorJob }
const db = openWorkspace(dbPath)
try {
  parentPort!.postMessage({ ok: true, value: await runTensorJobHere(db, job) })
} catch (error) {
  parentPort!.postMessage({ ok: false, error: toErrorData(error) })
} finally {
  db.close()
}
