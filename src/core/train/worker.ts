import * as tf from '@tensorflow/tfjs'
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorData } from '../../shared/errors'
import { selectBackend } from '../backend'
import { claimRun, finishRun, getRunSummary } from '../store/runs'
import { openWorkspace, type Db } from '../store/workspace'
import type { FromWorkerMessage, ToWorkerMessage, TrainingWorkerData } from './protocol'
import { trainRun } from './session'

/**
 * The training worker thread: its own workspace connection, its own TensorFlow.js backend,
 * one run. Everything it learns goes back as typed messages; a stop request ends the run at
 * the next step boundary with consistent checkpoints.
 */
const port = parentPort
if (!port) throw new Error('worker.ts must run in a worker thread')
const data = workerData as TrainingWorkerData
const post = (message: FromWorkerMessage) => port.postMessage(message)
let stopRequested = false
port.on('message', (message: ToWorkerMessage) => {
  if (message.type === 'stop') stopRequested = true
})

// production mode: no debug checks, and no console advice about tfjs-node in the worker's output
tf.enableProdMode()

let db: Db | undefined
try {
  db = openWorkspace(data.dbPath)
  const config = getRunSummary(db, data.runId).config
  const backend = await selectBackend(config.backend)
  claimRun(db, data.runId, { pid: process.pid, token: data.ownerToken }, {
    backend: backend.name,
    versions: { tfjs: backend.tfjsVersion, node: process.versions.node, clipcast: '0.1.0' },
  })
  post({ type: 'status', status: 'running', backend: backend.name })
  const workspace = db
  const result = await trainRun({
    db: workspace,
    runId: data.runId,
    resume: data.resume,
    stopRequested: () => stopRequested,
    progressEvery: data.progressEvery,
    events: {
      ready: (info) => post({ type: 'ready', backend: backend.name, ...info }),
      progress: (event) => post({ type: 'progress', ...event }),
      epoch: (record) => post({ type: 'epoch', record }),
      recovered: (recovery) => post({ type: 'recovered', recovery }),
      warning: (warning) => post({ type: 'warning', warning }),
    },
  })
  post({ type: 'done', status: result.status, ...(result.error ? { error: result.error } : {}) })
} catch (error) {
  const errorData = toErrorData(error)
  try {
    if (db) finishRun(db, data.runId, 'failed', { error: errorData })
  } catch {
    // the workspace itself failed; the host marks the run when the worker exits
  }
  post({ type: 'done', status: 'failed', error: errorData })
} finally {
  tf.disposeVariables()
  db?.close()
  port.close()
}
