import { totalmem } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { FromWorkerMessage, SpawnTraining, TrainingProcess } from './protocol'

// a runaway JS heap in a run ends that worker (ERR_WORKER_OUT_OF_MEMORY), not the host; tensors
// live in wasm memory or native buffers outside this limit
const MAX_OLD_GENERATION_MB = Math.min(8192, Math.floor(totalmem() / 2 ** 20 / 2))

/** A worker thread as a training process: what the CLI and the browser host run training in. */
export function threadProcess(worker: Worker): TrainingProcess {
  let failure: string | null = null
  worker.on('error', (error) => {
    failure = error.message
  })
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', (message: FromWorkerMessage) => listener(message)),
    onExit: (listener) => worker.once('exit', (code) => listener(failure ?? (code === 0 ? null : `exit code ${code}`))),
    kill: () => void worker.terminate(),
  }
}

/** Each run in a worker thread, from the sources through tsx (the CLI, the browser host, tests). */
export const spawnTrainingThread: SpawnTraining = (data) =>
  threadProcess(new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: MAX_OLD_GENERATION_MB } }))
