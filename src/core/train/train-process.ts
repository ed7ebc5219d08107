import * as tf from '@tensorflow/tfjs'
import { toErrorData } from '../../shared/errors'
import { selectBackend } from '../backend'
import { dataParallelCalls, dataParallelStarting } from '../kernels/parallel'
import { claimRun, finishRun, getRunSummary, recordRunThreads } from '../store/runs'
import { openWorkspace, type Db } from '../store/workspace'
import type { HostPort, TrainingWorkerData } from './protocol'
import { trainRun } from './session'

/**
 * One run in the calling process or thread: its own workspace connection, its own
 * TensorFlow.js backend. Everything it learns goes back through `port` as typed messages; a
 * stop request ends the run at the next step boundary with consistent checkpoints. The same
 * code runs in a worker thread and in the desktop app's utility process.
 */
export async function runTrainingProcess(port: HostPort, data: TrainingWorkerData): Promise<void> {
  let stopRequested = false
  port.onMessage((message) => {
    if (message.type === 'stop') stopRequested = true
  })
  // production mode: no debug checks, and no console advice about tfjs-node in the output
  tf.enableProdMode()
  let db: Db | undefined
  try {
    db = openWorkspace(data.dbPath)
    const config = getRunSummary(db, data.runId).config
    const backend = await selectBackend(config.backend)
    claimRun(db, data.runId, { pid: process.pid, token: data.ownerToken }, {
      backend: backend.name,
      versions: { tfjs: backend.tfjsVersion, node: process.versions.node, clipcast: '0.1.0', ...backend.deviceVersions },
    })
    port.post({ type: 'status', status: 'running', backend: backend.name })
    // a fresh process has no partner yet: wait the second it takes, so even a short run computes on two threads
    if (backend.threads > 1) await dataParallelStarting()
    const workspace = db
    const result = await trainRun({
      db: workspace,
      runId: data.runId,
      resume: data.resume,
      stopRequested: () => stopRequested,
      progressEvery: data.progressEvery,
      events: {
        ready: (info) => port.post({ type: 'ready', backend: backend.name, ...info }),
        progress: (event) => port.post({ type: 'progress', ...event }),
        epoch: (record) => port.post({ type: 'epoch', record }),
        recovered: (recovery) => port.post({ type: 'recovered', recovery }),
        warning: (warning) => port.post({ type: 'warning', warning }),
      },
    })
    // what really computed: the wasm partner thread counts only once it has taken layer calls
    const partnerCalls = dataParallelCalls()
    try {
      recordRunThreads(workspace, data.runId, { threads: partnerCalls > 0 ? 2 : backend.name === 'wasm' ? 1 : backend.threads, partnerCalls })
    } catch {
      // a figure for the record: a busy workspace must not turn a finished run into a failed one
    }
    port.post({ type: 'done', status: result.status, ...(result.error ? { error: result.error } : {}) })
  } catch (error) {
    const errorData = toErrorData(error)
    try {
      if (db) finishRun(db, data.runId, 'failed', { error: errorData })
    } catch {
      // the workspace itself failed; the host marks the run when the process exits
    }
    port.post({ type: 'done', status: 'failed', error: errorData })
  } finally {
    tf.disposeVariables()
    db?.close()
  }
}
