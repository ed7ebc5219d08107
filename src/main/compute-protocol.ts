import type { ErrorData } from '../shared/errors'
import type { TensorJob, TensorJobResult } from '../core/tensor-jobs'
import type { ToWorkerMessage, TrainingWorkerData } from '../core/train/protocol'

/**
 * Main → compute process (an Electron utilityProcess). The first message says what the process
 * is for, one training run or one tensor job; `exit` follows its final answer, so the answer
 * is never lost to an exit that outruns it.
 */
export type ComputeRequest =
  | ({ type: 'train'; data: TrainingWorkerData } & Bundled)
  | ({ type: 'job'; dbPath: string; job: TensorJob } & Bundled)
  | ToWorkerMessage
  | { type: 'exit' }

/** Files of the bundle the compute process needs (electron-vite cannot nest `?modulePath` in a `?modulePath` module). */
export interface Bundled {
  /** The wasm data-parallel partner's module. */
  partnerEntry: string
}

/** Compute process → main, for a tensor job (a training run answers with FromWorkerMessage). */
export type JobReply = { type: 'result'; ok: true; value: TensorJobResult } | { type: 'result'; ok: false; error: ErrorData }
