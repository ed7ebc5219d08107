import { utilityProcess, type UtilityProcess } from 'electron'
import type { ExportResult, Forecast } from '../shared/api'
import { ClipcastError, fromErrorData } from '../shared/errors'
import type { Emit, TensorJob } from '../core/api-handlers'
import type { FromWorkerMessage, TrainingProcess, TrainingWorkerData } from '../core/train/protocol'
import { TrainingManager } from '../core/train/runs-service'
import type { ComputeRequest, JobReply } from './compute-protocol'
import computeProcessPath from './compute-process?modulePath'
import partnerEntry from '../core/kernels/parallel-worker?modulePath'

// a child that answered but did not exit after `exit` is ended this long after
const EXIT_GRACE_MS = 10_000
const live = new Set<UtilityProcess>()

function forkCompute(name: string): UtilityProcess {
  const child = utilityProcess.fork(computeProcessPath, [], { serviceName: `Clipcast ${name}` })
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

function send(child: UtilityProcess, request: ComputeRequest): void {
  child.postMessage(request)
}

/** After the final answer: ask the child to exit, and end it if it does not. */
function release(child: UtilityProcess): void {
  send(child, { type: 'exit' })
  setTimeout(() => child.kill(), EXIT_GRACE_MS).unref()
}

/** One training run in its own utility process. */
export function utilityTrainingProcess(data: TrainingWorkerData): TrainingProcess {
  const child = forkCompute(`training run ${data.runId}`)
  send(child, { type: 'train', data, partnerEntry })
  return {
    send: (message) => send(child, message),
    onMessage: (listener) =>
      child.on('message', (message: FromWorkerMessage) => {
        listener(message)
        if (message.type === 'done') release(child)
      }),
    onExit: (listener) => child.once('exit', (code) => listener(code === 0 ? null : `exit code ${code}`)),
    kill: () => child.kill(),
  }
}

/** The desktop app's training service: every run in a utility process, never in the main process. */
export function createTrainingService(workspacePath: string, emit: Emit): TrainingManager {
  return new TrainingManager({ dbPath: workspacePath, onEvent: emit, spawn: utilityTrainingProcess })
}

/** Forecasts and test exports load the model: one short-lived utility process per job. */
export function tensorJobsInProcess(workspacePath: string): (job: TensorJob) => Promise<Forecast | ExportResult> {
  return (job) =>
    new Promise((resolve, reject) => {
      const child = forkCompute(job.kind)
      let settled = false
      child.on('message', (reply: JobReply) => {
        if (reply.type !== 'result' || settled) return
        settled = true
        release(child)
        if (reply.ok) resolve(reply.value)
        else reject(fromErrorData(reply.error))
      })
      child.once('exit', (code) => {
        if (settled) return
        reject(new ClipcastError('RUN_PROCESS_CRASHED', `The ${job.kind} process ended unexpectedly (exit code ${code}).`, {
          hint: 'Nothing else was affected; try again. If it happens again, the run\'s backend may not work on this machine.',
          details: { exitCode: code },
        }))
      })
      send(child, { type: 'job', dbPath: workspacePath, job, partnerEntry })
    })
}

/** Ends every compute process still running (tensor jobs in flight at quit). */
export function killComputeProcesses(): void {
  for (const child of live) child.kill()
}
