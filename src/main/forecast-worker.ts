import { parentPort, workerData } from 'node:worker_threads'
import { computeForecastHere } from '../core/api-handlers'
import { openWorkspace } from '../core/store/workspace'
import { toErrorData } from '../shared/errors'

// one forecast in a worker thread: its own workspace connection and TensorFlow.js backend
const { dbPath, runId } = workerData as { dbPath: string; runId: number }
const db = openWorkspace(dbPath)
try {
  parentPort!.postMessage({ ok: true, forecast: await computeForecastHere(db, runId) })
} catch (error) {
  parentPort!.postMessage({ ok: false, error: toErrorData(error) })
} finally {
  db.close()
}
