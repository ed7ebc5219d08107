import type { DatasetSummary, RunSummary } from '../../shared/api'
import { ClipcastError, hasErrorCode, toErrorData, type ErrorData } from '../../shared/errors'
import { RunConfigSchema, type RunConfigInput } from '../../shared/run-config'
import type { SweepDetail, SweepSpec, SweepTrial } from '../../shared/sweeps'
import { getDataset } from '../store/datasets'
import { detectInterruptedRuns, getRunSummary } from '../store/runs'
import { createSweep, failTrial, finishSweep, getSweep, linkTrialRun } from '../store/sweeps'
import type { Db } from '../store/workspace'
import { assertConfigFits } from './memory-budget'
import type { TrainingManager } from './training-manager'
import { gridTrials, randomTrials, trialConfigs } from './sweep-space'

/**
 * Plans a sweep (every grid point, or the seeded random draws), checks each trial's config and
 * stores the queue. A sweep with a trial too large for the memory budget is refused here, with
 * the RUN_TOO_LARGE that trial would get on its own, before anything is stored or started.
 */
export function planSweep(db: Db, request: { base: RunConfigInput; spec: SweepSpec; parallel: number }): SweepDetail {
  const { base, spec } = request
  const dataset = getDataset(db, base.datasetId)
  const values = spec.mode === 'grid' ? gridTrials(spec.dimensions) : randomTrials(spec.dimensions, spec.count ?? 0, spec.seed ?? 0)
  const configs = trialConfigs(base, values)
  assertTrialsFit(configs, values, dataset)
  const id = createSweep(db, { datasetId: base.datasetId, spec, baseConfig: base, parallel: request.parallel, trials: values.map((v, i) => ({ values: v, config: configs[i]! })) })
  return getSweep(db, id)
}

/**
 * Each distinct trial config checked as TrainingManager.start checks a run. Only the budget is
 * decided here: a config that is invalid, or does not fit the data, is left to its trial, which
 * is recorded failed with its own error and lets the others train.
 */
function assertTrialsFit(configs: readonly RunConfigInput[], values: ReadonlyArray<Record<string, number | string>>, dataset: DatasetSummary): void {
  const checked = new Set<string>()
  configs.forEach((input, index) => {
    const parsed = RunConfigSchema.safeParse(input)
    if (!parsed.success) return
    const key = JSON.stringify(parsed.data)
    if (checked.has(key)) return
    checked.add(key)
    try {
      assertConfigFits(parsed.data, dataset)
    } catch (error) {
      if (!hasErrorCode(error, 'RUN_TOO_LARGE')) return
      // the varied settings as {key}, so each host names them its own way (src/shared/setting-hints.ts)
      const varied = Object.keys(values[index]!)
      const trial = varied.map((key) => `{${key}} ${values[index]![key]}`).join(', ')
      const settings = Array.isArray(error.details?.settings) ? (error.details.settings as string[]) : []
      throw new ClipcastError(error.code, error.message, {
        hint: `Trial ${index + 1} (${trial}) is the first that does not fit; nothing was started. ${error.hint ?? ''}`.trim(),
        details: { ...error.details, settings: [...new Set([...varied, ...settings])], trial: index + 1, values: values[index] },
      })
    }
  })
}

/** What a sweep needs of the training service (TrainingManager): its own connection, in whose transaction a trial's run is linked, and runs to start, resume, stop and wait for. */
export type SweepTrainer = Pick<TrainingManager, 'db' | 'start' | 'resume' | 'stop' | 'wait' | 'isActive'>

export interface SweepRunOptions {
  /** Runs at a time. */
  parallel: number
  /** Once stopped, no trial starts and the active runs are asked to stop (they stay resumable). */
  signal?: AbortSignal
  onTrialStart?: (trial: SweepTrial, runId: number, resumed: boolean) => void
  onTrialEnd?: (trial: SweepTrial, outcome: { run: RunSummary } | { error: ErrorData }) => void
}

/** A trial another process took between our look at the queue and our claim. */
class TrialTaken extends Error {}

/**
 * Works through what is left of a sweep, `parallel` runs at a time: interrupted or stopped runs
 * are resumed from their checkpoints first, then trials with no run are started. A trial's run is
 * created and linked in one transaction, so after a crash each trial has one run or none: none
 * is started, one is resumed, and no trial trains twice. Resolves with the sweep once every run
 * it began has ended.
 */
export async function runSweep(manager: SweepTrainer, sweepId: number, options: SweepRunOptions): Promise<SweepDetail> {
  const db = manager.db
  const sweep = assertSweepIdle(manager, sweepId)
  const queue = [...sweep.trials.filter((t) => t.state === 'resumable'), ...sweep.trials.filter((t) => t.state === 'pending')]
  const stops: Array<() => void> = []
  const onAbort = () => stops.forEach((stop) => stop())
  options.signal?.addEventListener('abort', onAbort)
  const work = async () => {
    for (let trial = queue.shift(); trial !== undefined && !options.signal?.aborted; trial = queue.shift()) {
      const runId = await beginTrial(manager, sweepId, trial, options)
      if (runId === null) continue
      const stop = () => void manager.stop(runId).catch(() => undefined)
      stops.push(stop)
      if (options.signal?.aborted) stop()
      const run = await manager.wait(runId)
      stops.splice(stops.indexOf(stop), 1)
      options.onTrialEnd?.(trial, { run })
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallel, queue.length)) }, work))
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
  }
  const after = getSweep(db, sweepId)
  if (after.finishedAt === null && after.trials.every((t) => t.state === 'done' || t.state === 'failed')) finishSweep(db, sweepId)
  return getSweep(db, sweepId)
}

/** The sweep, after checking that no other process trains one of its trials; SWEEP_ALREADY_ACTIVE otherwise. */
export function assertSweepIdle(manager: SweepTrainer, sweepId: number): SweepDetail {
  detectInterruptedRuns(manager.db)
  const sweep = getSweep(manager.db, sweepId)
  const busy = sweep.trials.filter((t) => t.state === 'active' && !manager.isActive(t.runId!))
  if (busy.length > 0) {
    throw new ClipcastError('SWEEP_ALREADY_ACTIVE', `Sweep ${sweepId} is being trained by another process (run ${busy.map((t) => t.runId).join(', ')}).`, {
      hint: 'Wait for that process to end, or stop it, then resume the sweep again.',
      details: { runs: busy.map((t) => t.runId) },
    })
  }
  return sweep
}

/** Starts or resumes one trial's run; null when the trial could not begin (its error is recorded) or another process took it. */
async function beginTrial(manager: SweepTrainer, sweepId: number, trial: SweepTrial, options: SweepRunOptions): Promise<number | null> {
  const resumed = trial.runId !== null
  try {
    const { runId } = resumed
      ? await manager.resume(trial.runId!)
      : await manager.start(trial.config, {
          onCreated: (id) => {
            if (!linkTrialRun(manager.db, sweepId, trial.trial, id)) throw new TrialTaken()
          },
        })
    options.onTrialStart?.(trial, runId, resumed)
    return runId
  } catch (error) {
    // taken by another process, or refused because the service is closing (RUN_ALREADY_ACTIVE): the trial is not at fault and stays in the queue
    if (error instanceof TrialTaken || hasErrorCode(error, 'RUN_NOT_RESUMABLE', 'RUN_ALREADY_ACTIVE')) return null
    const data = toErrorData(error)
    if (!resumed) failTrial(manager.db, sweepId, trial.trial, data)
    if (resumed) {
      // the run stays as it was (stopped or interrupted) with the reason; report its summary
      options.onTrialEnd?.(trial, { run: getRunSummary(manager.db, trial.runId!) })
      return null
    }
    options.onTrialEnd?.(trial, { error: data })
    return null
  }
}
