import { randomUUID } from 'node:crypto'
import type { ApiEventName, ApiEvents, RunSummary, Warning } from '../../shared/api'
import type { ApiEventListener } from '../../shared/api-bridge'
import { ClipcastError, fromErrorData, toErrorData, type ErrorData } from '../../shared/errors'
import { RunConfigSchema, type RunConfigInput } from '../../shared/run-config'
import { isActiveStatus } from '../../shared/run-status'
import { getDataset } from '../store/datasets'
import {
  createRun,
  deleteRun,
  detectInterruptedRuns,
  finishOwnedRun,
  finishRun,
  getRunSummary,
  heartbeatRuns,
  registerLiveToken,
  requeueRun,
  unregisterLiveToken,
  type RunOwner,
} from '../store/runs'
import { openWorkspace, writeTransaction, type Db } from '../store/workspace'
import { assertConfigFits } from './memory-budget'
import type { FromWorkerMessage, SpawnTraining, TrainingProcess } from './protocol'

/** How the manager hands on its runs' events: the same (name, payload) listener as every host's emit. */
export type TrainingEventHandler = ApiEventListener

export interface TrainingManagerOptions {
  /** The workspace file; the manager and each training process open their own connection. */
  dbPath: string
  /** Starts one run's process: a worker thread (spawnTrainingThread), or the desktop app's utility process. */
  spawn: SpawnTraining
  onEvent?: TrainingEventHandler
  /** Warnings about a run's data or checkpoints (imputation, constant columns, fallbacks). */
  onWarning?: (runId: number, warning: Warning) => void
  progressEvery?: number
  heartbeatMs?: number
  /** How long a run asked to stop may take to end before its process is killed (it is then interrupted, still resumable). */
  stopTimeoutMs?: number
}

interface ActiveRun {
  process: TrainingProcess
  done: Promise<RunSummary>
  /** Set when the manager itself ended the process (a stop that went unanswered). */
  killedBecause?: string
}

interface Outcome {
  status: RunSummary['status']
  error?: ErrorData
}

export const HEARTBEAT_MS = 5000
const STOP_TIMEOUT_MS = 60_000

/** A process that ended without its final message: a native crash, out of memory, a kill. The run stays resumable. */
export function crashOutcome(abnormal: string | null): Outcome {
  return {
    status: 'interrupted',
    error: {
      code: 'RUN_PROCESS_CRASHED',
      message: `The training process ended before the run did (${abnormal ?? 'without a result'}).`,
      hint: 'Nothing else was affected. Resume the run to continue from its last checkpoint; if it happens again, lower the batch size or lookback, or choose another backend.',
      details: { reason: abnormal },
    },
  }
}

/**
 * Starts, stops and resumes training runs, each in its own process or thread, and relays their
 * events. Owns a token recorded on its runs plus a heartbeat, so another process opening the
 * same workspace can tell a live run from one whose process died (`interrupted`).
 */
export class TrainingManager {
  readonly db: Db
  readonly token = randomUUID()
  private readonly active = new Map<number, ActiveRun>()
  private readonly heartbeat: NodeJS.Timeout
  private closing: Promise<void> | null = null

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

  /**
   * Validates the config, refuses a run too large for the memory budget (RUN_TOO_LARGE), creates the run and starts its worker; resolves once training is underway.
   * `onCreated` runs in the transaction that inserts the run (a sweep links it to its trial there,
   * so a crash never leaves a run without its trial); throwing from it creates nothing.
   */
  async start(input: RunConfigInput, options: { onCreated?: (runId: number) => void } = {}): Promise<{ runId: number }> {
    this.refuseWhenClosing()
    const parsed = RunConfigSchema.safeParse(input)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
      const settings = [...new Set(parsed.error.issues.map((issue) => issue.path[0]).filter((key): key is string => typeof key === 'string'))]
      throw new ClipcastError('INVALID_CONFIG', `The run configuration is invalid: ${issues.join('; ')}.`, {
        hint: settings.length > 0 ? `Check ${settings.map((key) => `{${key}}`).join(', ')} against the allowed values.` : 'Check the run settings against the allowed values.',
        details: { issues, settings },
      })
    }
    const config = parsed.data
    const dataset = getDataset(this.db, config.datasetId)
    // here, not in the hosts: every run starts through this call, a sweep's trials included
    assertConfigFits(config, dataset)
    const runId = writeTransaction(this.db, () => {
      const id = createRun(this.db, config, dataset.sha256 ?? '', this.owner)
      options.onCreated?.(id)
      return id
    })
    this.emit('run:status', { runId, status: 'queued' })
    await this.launch(runId, null)
    return { runId }
  }

  /** Continues a stopped or interrupted run from its last checkpoint; `epochs` sets the run's total. */
  async resume(runId: number, options: { epochs?: number } = {}): Promise<{ runId: number }> {
    this.refuseWhenClosing()
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

  /** Asks the run's process to stop at the next step; resolves when the run has ended (killed after the stop timeout). */
  async stop(runId: number): Promise<void> {
    const active = this.active.get(runId)
    if (!active) {
      const run = getRunSummary(this.db, runId)
      if (isActiveStatus(run.status)) {
        throw new ClipcastError('RUN_ALREADY_ACTIVE', `Run ${runId} is trained by another process.`, { hint: 'Stop it from the window or terminal that started it.' })
      }
      return
    }
    active.process.send({ type: 'stop' })
    const timeoutMs = this.options.stopTimeoutMs ?? STOP_TIMEOUT_MS
    const timer = setTimeout(() => {
      active.killedBecause = `it did not stop within ${Math.round(timeoutMs / 1000)} s and was ended`
      active.process.kill()
    }, timeoutMs)
    try {
      await active.done
    } finally {
      clearTimeout(timer)
    }
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

  /** The runs this manager is training now. */
  activeRunIds(): number[] {
    return [...this.active.keys()]
  }

  /** Stops every active run and releases the workspace; no run starts once this has begun. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // a run that was still launching when closing began is active by now: stop until none is left
      while (this.active.size > 0) await Promise.all([...this.active.keys()].map((id) => this.stop(id).catch(() => undefined)))
      clearInterval(this.heartbeat)
      unregisterLiveToken(this.token)
      this.db.close()
    })()
    return this.closing
  }

  private refuseWhenClosing(): void {
    if (this.closing !== null) {
      throw new ClipcastError('RUN_ALREADY_ACTIVE', 'This workspace is closing: its runs are being stopped.', { hint: 'Start the run again once the other workspace is open.' })
    }
  }

  private emit<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void {
    this.options.onEvent?.(name, payload)
  }

  /**
   * Starts the run's process and resolves when its data is planned and its model built. A
   * failure the process reports before that point is a configuration error: a new run's row is
   * removed and the error thrown. `done` always settles, whatever the workspace does.
   */
  private launch(runId: number, resumedFrom: RunSummary['status'] | null): Promise<void> {
    let child: TrainingProcess
    try {
      child = this.options.spawn({ dbPath: this.options.dbPath, runId, resume: resumedFrom !== null, ownerToken: this.token, progressEvery: this.options.progressEvery })
    } catch (error) {
      // no process, so no run: a new one is removed, a resumed one goes back to what it was
      finishRun(this.db, runId, resumedFrom ?? 'failed', { error: toErrorData(error) })
      if (resumedFrom === null) deleteRun(this.db, runId)
      return Promise.reject(error)
    }
    let ready = false
    let final: Outcome | null = null
    return new Promise<void>((resolveReady, rejectReady) => {
      const done = new Promise<RunSummary>((resolveDone) => {
        child.onMessage((message) => {
          if (message.type === 'ready') {
            ready = true
            resolveReady()
          } else if (message.type === 'done') final = { status: message.status, ...(message.error ? { error: message.error } : {}) }
          else this.relay(runId, message)
        })
        child.onExit((abnormal) => {
          const killedBecause = this.active.get(runId)?.killedBecause
          this.active.delete(runId)
          const reported = final !== null
          const outcome: Outcome = final ?? crashOutcome(killedBecause ?? abnormal)
          try {
            this.settle(runId, outcome, { ready, reported, resumedFrom })
            this.emit('run:status', { runId, status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) })
          } catch (error) {
            // the workspace refused the write (the next open finds the run without a live owner: interrupted), or a listener threw
            outcome.error ??= toErrorData(error)
          } finally {
            if (!ready) rejectReady(fromErrorData(outcome.error ?? { code: 'RUN_FAILED', message: `Run ${runId} ended (${outcome.status}) before training began.` }))
            resolveDone(this.summaryOf(runId, outcome))
          }
        })
      })
      this.active.set(runId, { process: child, done })
    })
  }

  private relay(runId: number, message: Exclude<FromWorkerMessage, { type: 'ready' | 'done' }>): void {
    switch (message.type) {
      case 'status':
        this.emit('run:status', { runId, status: message.status, ...(message.error ? { error: message.error } : {}) })
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
        this.emit('run:warning', { runId, warning: message.warning })
        this.options.onWarning?.(runId, message.warning)
        break
    }
  }

  /** Writes how the run ended, when its process could not (it crashed) or the run never began. */
  private settle(runId: number, outcome: Outcome, how: { ready: boolean; reported: boolean; resumedFrom: RunSummary['status'] | null }): void {
    if (!how.ready && how.reported && outcome.status === 'failed') {
      // a configuration error: a new run is removed; a resume that could not begin leaves the run as it was, with the reason
      if (how.resumedFrom === null) deleteRun(this.db, runId)
      else {
        finishRun(this.db, runId, how.resumedFrom, outcome.error ? { error: outcome.error } : {})
        outcome.status = how.resumedFrom
      }
      return
    }
    const status = isActiveStatus(outcome.status) ? 'failed' : outcome.status
    finishOwnedRun(this.db, runId, this.token, status, outcome.error)
  }

  private summaryOf(runId: number, outcome: Outcome): RunSummary {
    try {
      return getRunSummary(this.db, runId)
    } catch {
      return { id: runId, status: outcome.status } as RunSummary
    }
  }
}
