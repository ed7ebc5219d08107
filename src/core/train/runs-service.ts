import { randomUUID } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type { ApiEventName, ApiEvents, RunSummary, Warning } from '../../shared/api'
import { ClipcastError, fromErrorData, type ErrorData } from '../../shared/errors'
import { RunConfigSchema, type RunConfigInput } from '../../shared/run-config'
import { getDataset } from '../store/datasets'
import {
  createRun,
  detectInterruptedRuns,
  finishRun,
  getRunSummary,
  heartbeatRuns,
  registerLiveToken,
  requeueRun,
  unregisterLiveToken,
  type RunOwner,
} from '../store/runs'
import { openWorkspace, type Db } from '../store/workspace'
import type { FromWorkerMessage, TrainingWorkerData } from './protocol'

export type TrainingEventHandler = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void

export interface TrainingManagerOptions {
  /** The workspace file; the manager and each worker open their own connection. */
  dbPath: string
  onEvent?: TrainingEventHandler
  /** Warnings about a run's data or checkpoints (imputation, constant columns, fallbacks). */
  onWarning?: (runId: number, warning: Warning) => void
  /** The Electron host passes its bundled worker; by default the tsx entry next to this file. */
  createWorker?: (data: TrainingWorkerData) => Worker
  progressEvery?: number
  heartbeatMs?: number
}

interface ActiveRun {
  worker: Worker
  done: Promise<RunSummary>
}

export const HEARTBEAT_MS = 5000

export function defaultCreateWorker(data: TrainingWorkerData): Worker {
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: data })
}

/**
 * Starts, stops and resumes training runs, each in its own worker thread, and relays their
 * events. Owns a token recorded on its runs plus a heartbeat, so another process opening the
 * same workspace can tell a live run from one whose process died (`interrupted`).
 */
export class TrainingManager {
  readonly db: Db
  readonly token = randomUUID()
  private readonly active = new Map<number, ActiveRun>()
  private readonly heartbeat: NodeJS.Timeout
  private closed = false

  constructor(private readonly options: TrainingManagerOptions) {
    this.db = openWorkspace(options.dbPath)
    registerLiveToken(this.token)
    detectInterruptedRuns(this.db)
    this.heartbeat = setInterval(() => {
      try {
        heartbeatRuns(this.db, this.token)
      } catch {
        // a busy workspace skips one beat; the stale limit is many beats long
      }
    }, options.heartbeatMs ?? HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  private get owner(): RunOwner {
    return { pid: process.pid, token: this.token }
  }

  /** Validates the config, creates the run and starts its worker; resolves once training is underway. */
  async start(input: RunConfigInput): Promise<{ runId: number }> {
    const parsed = RunConfigSchema.safeParse(input)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
      throw new ClipcastError('INVALID_CONFIG', `The run configuration is invalid: ${issues.join('; ')}.`, {
        hint: 'Check the flags against clipcast train --help.',
        details: { issues },
      })
    }
    const config = parsed.data
    const dataset = getDataset(this.db, config.datasetId)
    const runId = createRun(this.db, config, dataset.sha256 ?? '', this.owner)
    this.emit('run:status', { runId, status: 'queued' })
    await this.launch(runId, null)
    return { runId }
  }

  /** Continues a stopped or interrupted run from its last checkpoint; `epochs` sets the run's total. */
  async resume(runId: number, options: { epochs?: number } = {}): Promise<{ runId: number }> {
    if (this.active.has(runId)) {
      throw new ClipcastError('RUN_ALREADY_ACTIVE', `Run ${runId} is already training.`, { hint: 'Wait for it to finish or stop it first.' })
    }
    detectInterruptedRuns(this.db)
    const run = getRunSummary(this.db, runId)
    const config = RunConfigSchema.parse({ ...run.config, ...(options.epochs !== undefined ? { epochs: options.epochs } : {}) })
    requeueRun(this.db, runId, this.owner, config)
    this.emit('run:status', { runId, status: 'queued' })
    await this.launch(runId, run.status)
    return { runId }
  }

  /** Asks the run's worker to stop at the next step; resolves when the run has ended. */
  async stop(runId: number): Promise<void> {
    const active = this.active.get(runId)
    if (!active) {
      const run = getRunSummary(this.db, runId)
      if (run.status === 'running' || run.status === 'queued') {
        throw new ClipcastError('RUN_ALREADY_ACTIVE', `Run ${runId} is trained by another process.`, { hint: 'Stop it from the window or terminal that started it.' })
      }
      return
    }
    active.worker.postMessage({ type: 'stop' })
    await active.done
  }

  /** The run's summary once its worker has finished (immediately for a run that is not active). */
  async wait(runId: number): Promise<RunSummary> {
    const active = this.active.get(runId)
    if (active) return active.done
    return getRunSummary(this.db, runId)
  }

  isActive(runId: number): boolean {
    return this.active.has(runId)
  }

  /** Stops every active run and releases the workspace. */
  async close(): Promise<void> {
    if (this.closed) return
    await Promise.all([...this.active.keys()].map((id) => this.stop(id).catch(() => undefined)))
    this.closed = true
    clearInterval(this.heartbeat)
    unregisterLiveToken(this.token)
    this.db.close()
  }

  private emit<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void {
    this.options.onEvent?.(name, payload)
  }

  /**
   * Starts the worker and resolves when its data is planned and its model built. A failure
   * before that point is a configuration error: a new run's row is removed and the error thrown.
   */
  private launch(runId: number, resumedFrom: RunSummary['status'] | null): Promise<void> {
    const resume = resumedFrom !== null
    const create = this.options.createWorker ?? defaultCreateWorker
    const worker = create({ dbPath: this.options.dbPath, runId, resume, ownerToken: this.token, progressEvery: this.options.progressEvery })
    let ready = false
    let final: { status: RunSummary['status']; error?: ErrorData } | null = null
    return new Promise<void>((resolveReady, rejectReady) => {
      const done = new Promise<RunSummary>((resolveDone) => {
        worker.on('message', (message: FromWorkerMessage) => {
          switch (message.type) {
            case 'status':
              this.emit('run:status', { runId, status: message.status, ...(message.error ? { error: message.error } : {}) })
              break
            case 'ready':
              ready = true
              resolveReady()
              break
            case 'progress': {
              const { type: _type, ...rest } = message
              this.emit('run:progress', { runId, ...rest })
              break
            }
            case 'epoch':
              this.emit('run:epoch', { runId, record: message.record })
              break
            case 'recovered':
              this.emit('run:recovered', { runId, recovery: message.recovery })
              break
            case 'warning':
              this.options.onWarning?.(runId, message.warning)
              break
            case 'done':
              final = { status: message.status, ...(message.error ? { error: message.error } : {}) }
              break
          }
        })
        worker.on('error', (error) => {
          final = { status: 'failed', error: { code: 'RUN_FAILED', message: `The training worker crashed: ${error.message}.`, hint: 'Run it again; if it keeps failing, report it with the run id.' } }
        })
        worker.on('exit', () => {
          this.active.delete(runId)
          const outcome: { status: RunSummary['status']; error?: ErrorData } = final ?? { status: 'failed', error: { code: 'RUN_FAILED', message: 'The training worker exited without a result.' } }
          if (!ready) {
            const error = fromErrorData(outcome.error ?? { code: 'RUN_FAILED', message: `Run ${runId} ended (${outcome.status}) before training began.` })
            if (!resume && outcome.status === 'failed') this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId)
            // a resume that could not begin leaves the run as it was (still resumable), with the reason
            else if (resumedFrom !== null && outcome.status === 'failed') {
              finishRun(this.db, runId, resumedFrom, outcome.error ? { error: outcome.error } : {})
              outcome.status = resumedFrom
            } else this.markEnded(runId, outcome)
            rejectReady(error)
          } else {
            this.markEnded(runId, outcome)
          }
          this.emit('run:status', { runId, status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) })
          let summary: RunSummary
          try {
            summary = getRunSummary(this.db, runId)
          } catch {
            summary = { id: runId, status: outcome.status } as RunSummary
          }
          resolveDone(summary)
        })
      })
      this.active.set(runId, { worker, done })
    })
  }

  /** A worker that died without ending its run leaves it failed rather than running forever. */
  private markEnded(runId: number, outcome: { status: RunSummary['status']; error?: ErrorData }): void {
    const row = this.db.prepare('SELECT status, owner_token FROM runs WHERE id = ?').get(runId) as { status: string; owner_token: string | null } | undefined
    if (row && (row.status === 'running' || row.status === 'queued') && row.owner_token === this.token) {
      finishRun(this.db, runId, outcome.status === 'running' || outcome.status === 'queued' ? 'failed' : outcome.status, outcome.error ? { error: outcome.error } : {})
    }
  }
}
