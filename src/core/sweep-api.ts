import type { Api } from '../shared/api'
import { ClipcastError, toErrorData } from '../shared/errors'
import type { HandlerContext } from './api-handlers'
import { detectInterruptedRuns } from './store/runs'
import { getSweep, listSweeps } from './store/sweeps'
import { assertSweepIdle, planSweep, runSweep, type SweepTrainer } from './train/sweep'
import { machineParallelism } from './train/sweep-space'

/** Both hosts hand the handlers their TrainingManager, which can run sweeps; a host built with less (a test) cannot. */
function sweepTrainer(training: HandlerContext['training']): SweepTrainer {
  if (training?.db === undefined || training.wait === undefined || training.isActive === undefined) {
    throw new ClipcastError('INTERNAL', 'This host was started without a training service that can run sweeps.', { hint: 'Run sweeps from the desktop app, `clipcast serve` or `clipcast sweep`.' })
  }
  return training as SweepTrainer
}

/**
 * The sweep methods of the Api. A sweep runs in the host's process through the same queue as
 * `clipcast sweep` (src/core/train/sweep.ts): its trials' runs are the host's ordinary runs (each
 * in its own process), and a sweep left unfinished by a crash, a stop or a closed window is
 * resumed with resumeSweep. `sweep:progress` says when a trial starts or ends and when the
 * sweep stops running here.
 */
export function sweepHandlers(ctx: HandlerContext): Pick<Api, 'listSweeps' | 'getSweep' | 'startSweep' | 'resumeSweep' | 'stopSweep'> {
  /** Sweeps this host is working through now, with what stops them. */
  const running = new Map<number, AbortController>()

  function launch(trainer: SweepTrainer, sweepId: number, parallel: number): void {
    const abort = new AbortController()
    running.set(sweepId, abort)
    const progress = (runId?: number) => ctx.emit('sweep:progress', { sweepId, running: running.has(sweepId), ...(runId === undefined ? {} : { runId }) })
    progress()
    runSweep(trainer, sweepId, {
      parallel,
      signal: abort.signal,
      onTrialStart: (_trial, runId) => progress(runId),
      onTrialEnd: (_trial, outcome) => progress('run' in outcome ? outcome.run.id : undefined),
    })
      .then(() => {
        running.delete(sweepId)
        progress()
      })
      .catch((error: unknown) => {
        running.delete(sweepId)
        try {
          ctx.emit('sweep:progress', { sweepId, running: false, error: toErrorData(error) })
        } catch {
          // the host is closing (its workspace and windows with it); the sweep stays resumable in the file
        }
      })
  }

  function refuseRunning(sweepId: number): void {
    if (running.has(sweepId)) throw new ClipcastError('SWEEP_ALREADY_ACTIVE', `Sweep ${sweepId} is already running.`, { hint: 'Wait for it, or stop it first.' })
  }

  return {
    async listSweeps() {
      // a trial whose run's process died (a killed clipcast sweep) shows as resumable now, not at the next start
      detectInterruptedRuns(ctx.db)
      return listSweeps(ctx.db).map((sweep) => ({ ...sweep, running: running.has(sweep.id) }))
    },
    async getSweep(id) {
      detectInterruptedRuns(ctx.db)
      return { ...getSweep(ctx.db, id), running: running.has(id) }
    },
    async startSweep(request) {
      const trainer = sweepTrainer(ctx.training)
      const parallel = request.parallel ?? machineParallelism(request.base.backend ?? 'auto')
      const planned = planSweep(trainer.db, { base: request.base, spec: request.spec, parallel })
      launch(trainer, planned.id, parallel)
      return { ...planned, running: true }
    },
    async resumeSweep(id, options) {
      const trainer = sweepTrainer(ctx.training)
      refuseRunning(id)
      const sweep = assertSweepIdle(trainer, id)
      launch(trainer, id, options?.parallel ?? sweep.parallel)
      return { ...sweep, running: true }
    },
    async stopSweep(id) {
      getSweep(ctx.db, id)
      running.get(id)?.abort()
    },
  }
}
