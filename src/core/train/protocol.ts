import type { EpochRecord, Recovery, Warning } from '../../shared/api'
import type { ErrorData } from '../../shared/errors'
import type { RunStatus } from '../../shared/run-config'

/** What the training worker is started with (worker_threads workerData). */
export interface TrainingWorkerData {
  /** The workspace file; the worker opens its own connection (WAL lets both sides work). */
  dbPath: string
  runId: number
  /** Continue from the run's last checkpoint instead of fresh weights. */
  resume: boolean
  /** The owning manager's token: recorded on the run so other processes can tell it is alive. */
  ownerToken: string
  progressEvery?: number
}

/** Host → worker. Stop is a message, never terminate(): the worker ends at a step boundary. */
export type ToWorkerMessage = { type: 'stop' }

/** Worker → host. */
export type FromWorkerMessage =
  | { type: 'status'; status: RunStatus; backend?: string; error?: ErrorData }
  /** Data planned, model built: the run is underway (errors before this are configuration errors). */
  | { type: 'ready'; backend: string; trainWindows: number; valWindows: number; testWindows: number; stepsPerEpoch: number; totalEpochs: number }
  | { type: 'progress'; epoch: number; totalEpochs: number; step: number; stepsPerEpoch: number; loss: number; gradNorms: number[] }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'recovered'; recovery: Recovery }
  | { type: 'warning'; warning: Warning }
  /** The last message: the run's final status. */
  | { type: 'done'; status: RunStatus; error?: ErrorData }

/** The training process's end of its channel to the host (a worker thread's parentPort, Electron's process.parentPort). */
export interface HostPort {
  post(message: FromWorkerMessage): void
  onMessage(listener: (message: ToWorkerMessage) => void): void
}

/**
 * The host's handle on one training process: a worker thread (CLI, browser host), or an
 * Electron utilityProcess (desktop), so a native crash there leaves the host alive.
 */
export interface TrainingProcess {
  send(message: ToWorkerMessage): void
  onMessage(listener: (message: FromWorkerMessage) => void): void
  /** Once, when the process is gone: null after a normal exit, else what ended it ("signal SIGKILL", "exit code 134", an error). */
  onExit(listener: (abnormal: string | null) => void): void
  /** Ends it at once: only after a stop request went unanswered. */
  kill(): void
}

export type SpawnTraining = (data: TrainingWorkerData) => TrainingProcess
