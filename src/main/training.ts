import { utilityProcess, type UtilityProcess } from 'electron'
import { ClipcastError, fromErrorData } from '../shared/errors'
import type { TensorJob, TensorJobResult } from '../core/tensor-jobs'
import type { FromWorkerMessage, TrainingProcess, TrainingWorkerData } from '../core/train/protocol'
import type { ComputeRequest, JobReply } from './compute-protocol'
import computeProcessPath from './compute-process?modulePath'
import partnerEntry from '../core/kernels/parallel-worker?modulePath'

// a child that answered but did not exit after `exit` is ended this long after
const EXIT_GRACE_MS = 10_000
const live = new Set<UtilityProcess>()

interface Compute {
  child: UtilityProcess
  /** What ended it when it did not exit cleanly: V8's fatal error (out of memory) or the exit code. */
  onExit(listener: (abnormal: string | null) => void): void
  /** After the final answer: ask the child to exit, and end it if it does not. */
  release(): void
}

function forkCompute(name: string): Compute {
  const child = utilityProcess.fork(computeProcessPath, [], { serviceName: `Clipcast ${name}` })
  live.add(child)
  let fatal: string | null = null
  let graceTimer: NodeJS.Timeout | undefined
  // V8's fatal errors (a JS heap out of memory) arrive here before the exit; unheard, they would throw in the main process
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}`
  })
  child.once('exit', () => {
    live.delete(child)
    clearTimeout(graceTimer)
  })
  return {
    child,
    onExit: (listener) => child.once('exit', (code) => listener(fatal ?? (code === 0 ? null : `exit code ${code}`))),
    release: () => {
      send(child, { type: 'exit' })
      graceTimer = setTimeout(() => child.kill(), EXIT_GRACE_MS)
    },
  }
}

function send(child: UtilityProcess, request: ComputeRequest): void {
  child.postMessage(request)
}

/** One training run in its own utility process. */
export function utilityTrainingProcess(data: TrainingWorkerData): TrainingProcess {
  const compute = forkCompute(`training run ${data.runId}`)
  send(compute.child, { type: 'train', data, partnerEntry })
  return {
    send: (message) => send(compute.child, message),
    onMessage: (listener) =>
      compute.child.on('message', (message: FromWorkerMessage) => {
        if (message.type === 'done') compute.release()
        listener(message)
      }),
    onExit: compute.onExit,
    kill: () => compute.child.kill(),
  }
}

/** Forecasts and test exports load the model: one short-lived utility process per job. */
export function tensorJobsInProcess(workspacePath: string): (job: TensorJob) => Promise<TensorJobResult> {
  return (job) =>
    new Promise((resolve, reject) => {
      const compute = forkCompute(job.kind)
      let settled = false
      compute.child.on('message', (reply: JobReply) => {
        if (reply.type !== 'result' || settled) return
        settled = true
        compute.release()
        if (reply.ok) resolve(reply.value)
        else reject(fromErrorData(reply.error))
      })
      compute.onExit((abnormal) => {
        if (settled) return
        reject(new ClipcastError('RUN_PROCESS_CRASHED', `The ${job.kind} process ended unexpectedly (${abnormal ?? 'without an answer'}).`, {
          hint: 'Nothing else was affected; try again. If it happens again, the run\'s backend may not work on this machine.',
          details: { reason: abnormal },
        }))
      })
      send(compute.child, { type: 'job', dbPath: workspacePath, job, partnerEntry })
    })
}

/** Ends every compute process still running (tensor jobs in flight at quit). */
export function killComputeProcesses(): void {
  for (const child of live) child.kill()
}
