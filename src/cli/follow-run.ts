import { SingleBar } from 'cli-progress'
import { TrainingManager } from '../core/train/training-manager'
import { spawnTrainingThread } from '../core/train/worker-threads'
import { byEvent, type ApiEvent, type ApiEvents, type EpochRecord, type RunSummary } from '../shared/api'
import { ClipcastError, fromErrorData } from '../shared/errors'
import { describeCalibration } from '../shared/intervals'
import { printJson } from './output'

/** The `done` line's run object. */
export function doneShape(run: RunSummary): Record<string, unknown> {
  return { id: run.id, status: run.status, backend: run.backend, bestEpoch: run.bestEpoch, epochs: run.epochs, config: run.config, metrics: run.metrics, baselines: run.baselines }
}

export function epochLine(record: EpochRecord): Record<string, unknown> {
  const { epoch, trainLoss, valLoss, gradNorm, clippedFraction, clipThreshold, lr, seconds } = record
  return { event: 'epoch', epoch, trainLoss, valLoss, gradNorm: { mean: gradNorm.mean, p50: gradNorm.p50, p95: gradNorm.p95, max: gradNorm.max }, clippedFraction, clipThreshold, lr, seconds }
}

const fmt = (value: number | null, digits = 4) => (value === null || !Number.isFinite(value) ? '—' : value.toPrecision(digits))

/** One line of test metrics for the terminal, with the baselines' MAE beside the model's. */
function describeMetrics(run: RunSummary): string {
  const metrics = run.metrics as unknown as Record<string, number | null> | null
  if (!metrics) return ''
  if (typeof metrics.mae !== 'number') return typeof metrics.testLoss === 'number' ? `; test loss ${fmt(metrics.testLoss)} (scaled)` : ''
  const baselines = Object.entries(run.baselines ?? {})
    .map(([name, m]) => `${name} ${fmt(m.mae)}`)
    .join(', ')
  const coverage = Object.entries(run.metrics?.coverage ?? {}).map(([level, share]) => `${level}% → ${(share * 100).toFixed(0)}%`).join(', ')
  const calibrated = run.metrics?.intervals ? ` (${describeCalibration(run.metrics.intervals)})` : ''
  return `; test MAE ${fmt(metrics.mae)}, RMSE ${fmt(metrics.rmse ?? null)}, sMAPE ${fmt(metrics.smape ?? null, 3)}%, MASE ${fmt(metrics.mase ?? null, 3)}${baselines ? ` (baseline MAE: ${baselines})` : ''}` +
    (coverage ? `; intervals${calibrated}, test coverage ${coverage}` : '')
}

/** The terminal's view of one run's events: NDJSON lines, or a progress bar per epoch and a line per epoch and recovery. */
function runPrinter(json: boolean): { print: (event: ApiEvent) => void; stopBar: () => void } {
  const tty = !json && process.stderr.isTTY === true
  let bar: SingleBar | null = null
  let barEpoch = 0
  const stopBar = () => {
    bar?.stop()
    bar = null
  }
  const showProgress = (p: ApiEvents['run:progress']) => {
    if (!tty) return
    if (!bar || barEpoch !== p.epoch) {
      stopBar()
      bar = new SingleBar({ format: `epoch ${p.epoch}/${p.totalEpochs} [{bar}] {value}/{total} steps | loss {loss} | ETA {eta_formatted}`, barsize: 30, hideCursor: true, clearOnComplete: true, stream: process.stderr })
      bar.start(p.stepsPerEpoch, 0, { loss: '—' })
      barEpoch = p.epoch
    }
    bar.update(p.step, { loss: fmt(p.loss) })
  }
  const print = (event: ApiEvent) => {
    if (event.name === 'run:progress') return showProgress(event.payload)
    if (event.name === 'run:epoch') {
      const { record } = event.payload
      stopBar()
      if (json) printJson(epochLine(record))
      else {
        process.stdout.write(
          `epoch ${record.epoch}  train ${fmt(record.trainLoss)}  val ${fmt(record.valLoss)}  |g| mean ${fmt(record.gradNorm.mean, 3)} p95 ${fmt(record.gradNorm.p95, 3)} max ${fmt(record.gradNorm.max, 3)}` +
            `  clipped ${(record.clippedFraction * 100).toFixed(0)}%${record.clipThreshold === null ? '' : ` at ${fmt(record.clipThreshold, 3)}`}  lr ${fmt(record.lr, 3)}  ${record.seconds.toFixed(1)}s\n`,
        )
      }
    } else if (event.name === 'run:recovered') {
      const { recovery } = event.payload
      stopBar()
      if (json) printJson({ event: 'recovered', ...recovery })
      else process.stdout.write(`recovered at epoch ${recovery.epoch}, step ${recovery.step}: ${recovery.reason}; lr ${fmt(recovery.lr, 3)}, clip threshold ${fmt(recovery.clipThreshold, 3)}\n`)
    }
  }
  return { print, stopBar }
}

/**
 * A TrainingManager for a CLI command: training threads, events to `print`, warnings as NDJSON
 * or on stderr, each prefixed with `label(runId)` when several runs share the output (a sweep).
 */
export function cliTrainingManager(dbPath: string, json: boolean, print: (event: ApiEvent) => void, label?: (runId: number) => string): TrainingManager {
  return new TrainingManager({
    dbPath,
    spawn: spawnTrainingThread,
    onEvent: byEvent(print),
    onWarning: (runId, warning) => {
      if (json) printJson({ event: 'warning', ...(label ? { runId } : {}), code: warning.code, message: warning.message })
      else process.stderr.write(`${label ? `${label(runId)} ` : ''}warning ${warning.code}: ${warning.message}
`)
    },
  })
}

/** Runs `body` with Ctrl-C calling `onFirst` once; a second Ctrl-C exits at once (130). */
export async function withInterrupt<T>(onFirst: () => void, body: () => Promise<T>): Promise<T> {
  let interrupts = 0
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130)
    onFirst()
  }
  process.on('SIGINT', onSigint)
  try {
    return await body()
  } finally {
    process.off('SIGINT', onSigint)
  }
}

/**
 * Runs `begin` (start or resume) on a TrainingManager and follows the run to its end: NDJSON
 * or a progress bar per epoch; Ctrl-C stops the run cleanly (status stopped). Exits 2 when the
 * run diverged or failed.
 */
export async function followRun(dbPath: string, json: boolean, begin: (manager: TrainingManager) => Promise<{ runId: number }>): Promise<void> {
  const printer = runPrinter(json)
  const manager = cliTrainingManager(dbPath, json, printer.print)
  let runId: number | null = null
  const stop = () => {
    if (runId === null) process.exit(130)
    if (!json) process.stderr.write('\nstopping at the next step (Ctrl-C again to abort)…\n')
    void manager.stop(runId).catch(() => undefined)
  }
  try {
    await withInterrupt(stop, async () => {
      runId = (await begin(manager)).runId
      if (!json) process.stderr.write(`run ${runId} training\n`)
      const run = await manager.wait(runId)
      printer.stopBar()
      if (json) printJson({ event: 'done', run: doneShape(run) })
      else process.stdout.write(`run ${run.id} ${run.status}: ${run.epochs} epochs, best epoch ${run.bestEpoch ?? '—'}, backend ${run.backend ?? '—'}${describeMetrics(run)}\n`)
      if (run.status === 'diverged' || run.status === 'failed') {
        throw run.error ? fromErrorData(run.error) : new ClipcastError(run.status === 'diverged' ? 'RUN_DIVERGED' : 'RUN_FAILED', `Run ${run.id} ${run.status}.`)
      }
    })
  } finally {
    await manager.close()
  }
}
