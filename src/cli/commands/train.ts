import type { Command } from 'commander'
import { SingleBar } from 'cli-progress'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { importCsv } from '../../core/data/import'
import { getDataset } from '../../core/store/datasets'
import { openWorkspace } from '../../core/store/workspace'
import { TrainingManager } from '../../core/train/runs-service'
import { spawnTrainingThread } from '../../core/train/worker-threads'
import type { ApiEventName, ApiEvents, DatasetSummary, EpochRecord, RunSummary } from '../../shared/api'
import { suggestRunSettings } from '../../shared/run-defaults'
import { ClipcastError, fromErrorData } from '../../shared/errors'
import type { RunConfigInput } from '../../shared/run-config'
import { action, printJson } from '../output'
import { workspacePath } from '../args'
import { assertConfigFits } from '../../core/train/memory-budget'

export interface TrainOptions {
  sample?: boolean
  targets?: string
  horizon?: string
  lookback?: string
  layout?: string
  subseq?: string
  layers?: string
  filters?: string
  kernel?: string
  norm?: string
  init?: string
  loss?: string
  optimizer?: string
  lr?: string
  batch?: string
  epochs?: string
  patience?: string
  clip?: string
  clipThreshold?: string
  clipPercentile?: string
  l1?: string
  l2?: string
  seed?: string
  onDiverge?: string
  maxRecoveries?: string
  valFraction?: string
  testFraction?: string
  backend?: string
  season?: string
  normalize?: string
  location?: string
  highway?: string
  intervals?: string
  head?: string
  db?: string
  json?: boolean
}

/** The flags that set a run's configuration (clipcast train, clipcast sweep). */
export function addTrainFlags(command: Command): Command {
  return command
    .option('--targets <names>', 'comma-separated target columns (default: every numeric column)')
    .option('--horizon <H>', 'steps to forecast (default from the frequency: hourly 24, daily 7, monthly 12, …)')
    .option('--lookback <L>', 'input steps per window (default from the frequency: hourly 168, daily 28, monthly 36, …)')
    .option('--layout <layout>', 'subseq | grid (default subseq)')
    .option('--subseq <N>', 'sub-sequences the lookback is cut into (a divisor of it; default near its square root)')
    .option('--layers <N>', 'stacked ConvLSTM layers (default 1)')
    .option('--filters <N>', 'filters per layer (default 16)')
    .option('--kernel <K>', 'kernel size (default 3)')
    .option('--norm <norm>', 'none | layer (default none)')
    .option('--init <init>', 'glorot | he | orthogonal (default glorot)')
    .option('--loss <loss>', 'mse | mae | huber (default mse)')
    .option('--optimizer <name>', 'adam | sgd | rmsprop (default adam)')
    .option('--lr <X>', 'learning rate (default 0.001)')
    .option('--batch <N>', 'batch size (default 32)')
    .option('--epochs <N>', 'epochs (default: at least about 1,000 optimizer steps, at least 20 epochs)')
    .option('--patience <N>', 'early stopping after N epochs without a better validation loss; 0 = off (default: about 300 steps, at least 5)')
    .option('--clip <mode>', 'none | norm (global L2 norm) | tensor (each tensor\'s L2 norm) | value (each element) | auto (AutoClip) (default norm)')
    .option('--clip-threshold <X>', 'threshold of norm, tensor and value (default 1)')
    .option('--clip-percentile <P>', 'auto: clip at the P-th percentile of the global norms so far (default 10)')
    .option('--l1 <X>', 'L1 penalty on kernels (default 0)')
    .option('--l2 <X>', 'L2 penalty on kernels (default 0)')
    .option('--seed <N>', 'random seed (default 42)')
    .option('--on-diverge <action>', 'stop | recover (default stop)')
    .option('--max-recoveries <N>', 'recoveries before the run ends diverged (default 10)')
    .option('--val-fraction <X>', 'validation share of the windows (default 0.15)')
    .option('--test-fraction <X>', 'test share of the windows (default 0.15)')
    .option('--backend <name>', 'auto | tensorflow | webgpu | wasm | cpu (default auto: CUDA, a hardware WebGPU adapter, tfjs-node, wasm, cpu)')
    .option('--season <N>', 'seasonal period for the seasonal-naive baseline (default from the frequency)')
    .option('--normalize <mode>', 'window (each window in its own frame, location per --location) | global (the training scaler only) (default window)')
    .option('--location <where>', 'the window frame\'s origin: last (a zero output is the naive forecast) | mean (default last)')
    .option('--highway <on|off>', 'linear map from the window to the forecast, beside the ConvLSTM (default on)')
    .option('--head <head>', 'direct (every horizon step from the last state) | recursive (one step, fed back; subseq layout) (default direct)')
    .option('--intervals <levels>', 'prediction-interval levels in percent, comma-separated; "none" for none (default 80,95)')
}

/** `clipcast train`: imports when given a CSV, then trains one run in a worker thread and follows it. */
export function register(program: Command): void {
  const command = program
    .command('train')
    .description('Train a ConvLSTM forecaster on a dataset (id), a CSV file (imported first) or the bundled sample.')
    .argument('[dataset]', 'dataset id, or a CSV file to import first')
    .option('--sample', 'train on the bundled sample dataset (imported on first use)')
  addTrainFlags(command)
    .option('--db <file>', 'workspace file')
    .option('--json', 'NDJSON on stdout: one line per epoch, recovery and warning, then {"event":"done",…}')
    .action(action(async (datasetArg: string | undefined, options: TrainOptions) => {
      const dbPath = workspacePath(options.db)
      const dataset = await resolveDataset(dbPath, datasetArg, options)
      const config = withSuggestions(toConfig(dataset.id, options), dataset, Boolean(options.json))
      await followRun(dbPath, Boolean(options.json), (manager) => {
        assertConfigFits(manager.db, config)
        return manager.start(config)
      })
    }))
}

export async function resolveDataset(dbPath: string, datasetArg: string | undefined, options: TrainOptions): Promise<DatasetSummary> {
  if (options.sample && datasetArg !== undefined) {
    throw new ClipcastError('BAD_REQUEST', 'Give either a dataset or --sample, not both.', { hint: 'clipcast train 3, clipcast train data.csv, or clipcast train --sample.' })
  }
  if (!options.sample && datasetArg === undefined) {
    throw new ClipcastError('BAD_REQUEST', 'No dataset given.', { hint: 'clipcast train <dataset-id | file.csv>, or clipcast train --sample.' })
  }
  const db = openWorkspace(dbPath)
  try {
    if (datasetArg !== undefined && /^\d+$/.test(datasetArg) && !existsSync(datasetArg)) return getDataset(db, Number(datasetArg))
    // the same bytes imported again return the existing dataset, so --sample is reused
    const dataset = await importCsv(db, options.sample ? { sample: true } : { path: resolve(datasetArg!) })
    if (!options.json) process.stderr.write(`dataset ${dataset.id} (${dataset.name}): ${dataset.rows} rows, ${dataset.frequency}\n`)
    return dataset
  } finally {
    db.close()
  }
}

function numberOption(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new ClipcastError('INVALID_CONFIG', `--${name} must be ${integer ? 'a whole number' : 'a number'}; received ${JSON.stringify(value)}.`, {
      hint: 'See clipcast train --help for each flag\'s range.',
    })
  }
  return parsed
}

/** Flags → RunConfigInput; the schema (in the service) checks ranges and enums. */
export function toConfig(datasetId: number, o: TrainOptions): RunConfigInput {
  const config: Record<string, unknown> = { datasetId }
  const put = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value
  }
  put('targets', o.targets?.split(',').map((t) => t.trim()).filter((t) => t.length > 0))
  put('horizon', numberOption('horizon', o.horizon, true))
  put('lookback', numberOption('lookback', o.lookback, true))
  put('layout', o.layout)
  put('subseq', numberOption('subseq', o.subseq, true))
  put('layers', numberOption('layers', o.layers, true))
  put('filters', numberOption('filters', o.filters, true))
  put('kernel', numberOption('kernel', o.kernel, true))
  put('norm', o.norm)
  put('init', o.init)
  put('loss', o.loss)
  put('optimizer', o.optimizer)
  put('lr', numberOption('lr', o.lr, false))
  put('batch', numberOption('batch', o.batch, true))
  put('epochs', numberOption('epochs', o.epochs, true))
  put('patience', numberOption('patience', o.patience, true))
  put('clip', o.clip)
  put('clipThreshold', numberOption('clip-threshold', o.clipThreshold, false))
  put('clipPercentile', numberOption('clip-percentile', o.clipPercentile, false))
  put('l1', numberOption('l1', o.l1, false))
  put('l2', numberOption('l2', o.l2, false))
  put('seed', numberOption('seed', o.seed, true))
  put('onDiverge', o.onDiverge)
  put('maxRecoveries', numberOption('max-recoveries', o.maxRecoveries, true))
  put('valFraction', numberOption('val-fraction', o.valFraction, false))
  put('testFraction', numberOption('test-fraction', o.testFraction, false))
  put('backend', o.backend)
  put('season', numberOption('season', o.season, true))
  put('normalize', o.normalize)
  put('location', o.location)
  put('highway', o.highway)
  put('intervals', intervalLevels(o.intervals))
  put('head', o.head)
  return config as RunConfigInput
}

function intervalLevels(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  if (value.trim() === 'none' || value.trim() === '') return []
  return value.split(',').map((part) => {
    const level = Number(part.trim())
    if (!Number.isFinite(level) || part.trim() === '') {
      throw new ClipcastError('INVALID_CONFIG', `--intervals takes levels in percent such as 80,95; received ${JSON.stringify(value)}.`, { hint: 'Use --intervals 80,95, or --intervals none.' })
    }
    return level
  })
}

/**
 * Horizon, lookback, epochs and patience the user did not give, suggested from the dataset's
 * frequency and length (suggestRunSettings); says which it took, on stderr or as an NDJSON
 * `suggested` line.
 */
export function withSuggestions(config: RunConfigInput, dataset: Pick<DatasetSummary, 'frequency' | 'rows'>, json: boolean): RunConfigInput {
  const suggestion = suggestRunSettings({ frequency: dataset.frequency, rows: dataset.rows, ...config })
  if (suggestion.suggested.length === 0) return config
  const taken = Object.fromEntries(suggestion.suggested.map((key) => [key, suggestion[key]]))
  if (json) printJson({ event: 'suggested', frequency: dataset.frequency, ...taken, notes: suggestion.notes })
  else process.stderr.write(`suggested from the ${dataset.frequency} data (${dataset.rows} rows): ${suggestion.notes.join(', ')}\n`)
  return { ...config, ...taken }
}

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
  const calibrated = run.metrics?.intervals ? ` on ${run.metrics.intervals.calibrationWindows} validation windows` : ''
  return `; test MAE ${fmt(metrics.mae)}, RMSE ${fmt(metrics.rmse ?? null)}, sMAPE ${fmt(metrics.smape ?? null, 3)}%, MASE ${fmt(metrics.mase ?? null, 3)}${baselines ? ` (baseline MAE: ${baselines})` : ''}` +
    (coverage ? `; intervals calibrated${calibrated}, test coverage ${coverage}` : '')
}

/**
 * Runs `begin` (start or resume) on a TrainingManager and follows the run to its end: NDJSON
 * or a progress bar per epoch; Ctrl-C stops the run cleanly (status stopped). Exits 2 when the
 * run diverged or failed.
 */
export async function followRun(dbPath: string, json: boolean, begin: (manager: TrainingManager) => Promise<{ runId: number }>): Promise<void> {
  const tty = !json && process.stderr.isTTY === true
  let bar: SingleBar | null = null
  let barEpoch = 0
  const onEvent = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => {
    if (name === 'run:progress') {
      const p = payload as ApiEvents['run:progress']
      if (!tty) return
      if (!bar || barEpoch !== p.epoch) {
        bar?.stop()
        bar = new SingleBar({ format: `epoch ${p.epoch}/${p.totalEpochs} [{bar}] {value}/{total} steps | loss {loss} | ETA {eta_formatted}`, barsize: 30, hideCursor: true, clearOnComplete: true, stream: process.stderr })
        bar.start(p.stepsPerEpoch, 0, { loss: '—' })
        barEpoch = p.epoch
      }
      bar.update(p.step, { loss: fmt(p.loss) })
    } else if (name === 'run:epoch') {
      const { record } = payload as ApiEvents['run:epoch']
      bar?.stop()
      bar = null
      if (json) printJson(epochLine(record))
      else {
        process.stdout.write(
          `epoch ${record.epoch}  train ${fmt(record.trainLoss)}  val ${fmt(record.valLoss)}  |g| mean ${fmt(record.gradNorm.mean, 3)} p95 ${fmt(record.gradNorm.p95, 3)} max ${fmt(record.gradNorm.max, 3)}` +
            `  clipped ${(record.clippedFraction * 100).toFixed(0)}%${record.clipThreshold === null ? '' : ` at ${fmt(record.clipThreshold, 3)}`}  lr ${fmt(record.lr, 3)}  ${record.seconds.toFixed(1)}s\n`,
        )
      }
    } else if (name === 'run:recovered') {
      const { recovery } = payload as ApiEvents['run:recovered']
      bar?.stop()
      bar = null
      if (json) printJson({ event: 'recovered', ...recovery })
      else process.stdout.write(`recovered at epoch ${recovery.epoch}, step ${recovery.step}: ${recovery.reason}; lr ${fmt(recovery.lr, 3)}, clip threshold ${fmt(recovery.clipThreshold, 3)}\n`)
    }
  }
  const manager = new TrainingManager({
    dbPath,
    spawn: spawnTrainingThread,
    onEvent,
    onWarning: (_runId, warning) => {
      if (json) printJson({ event: 'warning', code: warning.code, message: warning.message })
      else process.stderr.write(`warning ${warning.code}: ${warning.message}\n`)
    },
  })
  let runId: number | null = null
  let interrupts = 0
  const onSigint = () => {
    interrupts++
    if (interrupts > 1 || runId === null) process.exit(130)
    if (!json) process.stderr.write('\nstopping at the next step (Ctrl-C again to abort)…\n')
    void manager.stop(runId).catch(() => undefined)
  }
  process.on('SIGINT', onSigint)
  try {
    runId = (await begin(manager)).runId
    if (!json) process.stderr.write(`run ${runId} training\n`)
    const run = await manager.wait(runId)
    ;(bar as SingleBar | null)?.stop()
    if (json) printJson({ event: 'done', run: doneShape(run) })
    else process.stdout.write(`run ${run.id} ${run.status}: ${run.epochs} epochs, best epoch ${run.bestEpoch ?? '—'}, backend ${run.backend ?? '—'}${describeMetrics(run)}\n`)
    if (run.status === 'diverged' || run.status === 'failed') {
      throw run.error ? fromErrorData(run.error) : new ClipcastError(run.status === 'diverged' ? 'RUN_DIVERGED' : 'RUN_FAILED', `Run ${run.id} ${run.status}.`)
    }
  } finally {
    process.off('SIGINT', onSigint)
    await manager.close()
  }
}
