import { parentPort, workerData } from 'node:worker_threads'
import type { FromWorkerMessage, ToWorkerMessage, TrainingWorkerData } from './protocol'
import { runTrainingProcess } from './train-process'

// the training run in a worker thread (CLI and browser host); the desktop app runs the same
// runTrainingProcess in an Electron utility process instead
const port = parentPort
if (!port) throw new Error('worker.ts must run in a worker thread')
try {
  await runTrainingProcess({
    post: (message: FromWorkerMessage) => port.postMessage(message),
    onMessage: (listener: (message: ToWorkerMessage) => void) => port.on('message', listener),
  }, workerData as TrainingWorkerData)
} finally {
  port.close()
}
