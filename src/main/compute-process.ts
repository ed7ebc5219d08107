import { runTensorJobHere } from '../core/tensor-jobs'
import { setDataParallelEntry } from '../core/kernels/parallel'
import { openWorkspace } from '../core/store/workspace'
import type { ToWorkerMessage } from '../core/train/protocol'
import { runTrainingProcess } from '../core/train/train-process'
import { toErrorData } from '../shared/errors'
import type { ComputeRequest, JobReply } from './compute-protocol'

// The desktop app's compute process (an Electron utilityProcess): one training run or one
// tensor job, so a native crash or out-of-memory in TensorFlow, wasm or a GPU driver ends this
// process and leaves the window alive.
const port = process.parentPort
const stopListeners: Array<(message: ToWorkerMessage) => void> = []

port.on('message', ({ data }: { data: ComputeRequest }) => {
  if (data.type === 'train' || data.type === 'job') setDataParallelEntry(data.partnerEntry)
  switch (data.type) {
    case 'train':
      void runTrainingProcess({ post: (message) => port.postMessage(message), onMessage: (listener) => stopListeners.push(listener) }, data.data)
      break
    case 'job':
      void runJob(data.dbPath, data.job)
      break
    case 'stop':
      stopListeners.forEach((listener) => listener(data))
      break
    case 'exit':
      process.exit(0)
  }
})

async function runJob(dbPath: string, job: Extract<ComputeRequest, { type: 'job' }>['job']): Promise<void> {
  let reply: JobReply
  try {
    const db = openWorkspace(dbPath)
    try {
      reply = { type: 'result', ok: true, value: await runTensorJobHere(db, job) }
    } finally {
      db.close()
    }
  } catch (error) {
    reply = { type: 'result', ok: false, error: toErrorData(error) }
  }
  port.postMessage(reply)
}
