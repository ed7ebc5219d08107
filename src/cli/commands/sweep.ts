import type { Command } from 'commander'
import { getRunSummary } from '../../core/store/runs'
import { getSweep, listSweeps, sweepMembership } from '../../core/store/sweeps'
import { openWorkspace } from '../../core/store/workspace'
import type { TrainingManager } from '../../core/train/training-manager'
import { planSweep, runSweep } from '../../core/train/sweep'
import { machineParallelism, parseVary } from '../../core/train/sweep-space'
import type { ApiEvent } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import type { SweepDetail, SweepSpec, SweepTrial } from '../../shared/sweeps'
import { positiveInteger, workspacePath } from '../args'
import { action, formatNumber, formatTable, printJson } from '../output'
import { cliTrainingManager, doneShape, epochLine, withInterrupt } from '../follow-run'
import { addTrainFlags, toConfig } from '../run-flags'
import { resolveDataset, type TrainOptions } from './train'

interface SweepOptions extends TrainOptions {
  vary: string[]
  random?: string
  parallel?: string
  resume?: string
  list?: boolean
}

/** `clipcast sweep`: a grid or seeded random draws of settings, trained K runs at a time, resumable after a crash. */
export function register(program: Command): void {
  const command = program
    .command('sweep')
    .description('Train a group of runs over a grid (or random draws) of settings, K at a time; --resume finishes a sweep that was interrupted.')
    .argument('[dataset]', 'dataset id, or a CSV file to import first')
    .option('--sample', 'sweep on the bundled sample dataset (imported on first use)')
    .option('--vary <name=values>', 'a setting and its values, e.g. clip-threshold=0.1,1,10 or lr=1e-4..1e-1:log (ranges with --random); repeat for more', (spec: string, all: string[]) => [...all, spec], [])
    .option('--random <N>', 'N random draws (seeded by --seed) instead of the full grid')
    .option('--parallel <K>', 'runs at a time (default: one per GPU, else half the cores)')
    .option('--resume <sweep>', 'finish what is left of a sweep: interrupted runs resumed, runs not yet started started')
    .option('--list', 'list the sweeps of the workspace')
  addTrainFlags(command)
    .option('--db <file>', 'workspace file')
    .option('--json', 'NDJSON on stdout: each run\'s lines tagged with runId, then {"event":"done","sweep":{…}}')
    .action(action(async (datasetArg: string | undefined, options: SweepOptions) => {
      const dbPath = workspacePath(options.db)
      if (options.list) return listCommand(dbPath, Boolean(options.json))
      const parallel = options.parallel === undefined ? undefined : positiveInteger('parallel', options.parallel)
      if (options.resume !== undefined) {
        if (datasetArg !== undefined || options.vary.length > 0) {
          throw new ClipcastError('BAD_REQUEST', '--resume continues a stored sweep; it takes no dataset or --vary.', { hint: 'clipcast sweep --resume <sweep id> [--parallel K].' })
        }
        const sweepId = positiveInteger('resume', options.resume, 'BAD_REQUEST', 'Sweep ids are positive whole numbers; clipcast sweep --list lists them.')
        return followSweep(dbPath, Boolean(options.json), () => sweepId, parallel)
      }
      const dimensions = options.vary.map(parseVary)
      const base = toConfig((await resolveDataset(dbPath, datasetArg, options)).id, options)
      const count = options.random === undefined ? undefined : positiveInteger('random', options.random, 'SWEEP_BAD_SPEC')
      const spec: SweepSpec = count === undefined ? { mode: 'grid', dimensions } : { mode: 'random', dimensions, count, seed: base.seed ?? 42 }
      const chosen = parallel ?? machineParallelism(base.backend ?? 'auto')
      await followSweep(dbPath, Boolean(options.json), (manager) => planSweep(manager.db, { base, spec, parallel: chosen }).id, parallel)
    }))
}

function listCommand(dbPath: string, json: boolean): void {
  const db = openWorkspace(dbPath)
  try {
    const sweeps = listSweeps(db)
    if (json) return printJson({ sweeps })
    if (sweeps.length === 0) return void process.stdout.write('No sweeps yet: start one with clipcast sweep <dataset> --vary name=v1,v2.\n')
    const count = (s: SweepDetail, state: SweepTrial['state']) => s.trials.filter((t) => t.state === state).length
    const rows = sweeps.map((s) => [s.id, s.datasetId, s.spec.mode, s.spec.dimensions.map((d) => d.key).join(' '), s.trials.length, count(s, 'done'), count(s, 'resumable') + count(s, 'pending'), s.finishedAt ? 'finished' : 'open'])
    process.stdout.write(formatTable(['sweep', 'dataset', 'mode', 'varies', 'trials', 'done', 'left', 'state'], rows) + '\n')
  } finally {
    db.close()
  }
}

const describeValues = (values: Record<string, number | string>) => Object.entries(values).map(([key, value]) => `${key}=${value}`).join(' ')

/** Creates (or finds) the sweep on a TrainingManager, works through its queue and prints each run's progress, then the summary. */
async function followSweep(dbPath: string, json: boolean, begin: (manager: TrainingManager) => number, parallel: number | undefined): Promise<void> {
  const trialOf = new Map<number, SweepTrial>()
  // a run's first warnings can arrive before its start returns: its trial is stored by then
  const label = (runId: number) => `run ${runId} (trial ${trialOf.get(runId)?.trial ?? sweepMembership(manager.db).get(runId)?.trial ?? '?'})`
  const print = (event: ApiEvent) => {
    if (event.name === 'run:epoch') {
      const { runId, record } = event.payload
      if (json) printJson({ event: 'epoch', runId, ...epochLine(record) })
      else process.stdout.write(`${label(runId)} epoch ${record.epoch}  train ${formatNumber(record.trainLoss) ?? '—'}  val ${formatNumber(record.valLoss) ?? '—'}  |g| p95 ${formatNumber(record.gradNorm.p95) ?? '—'}\n`)
    } else if (event.name === 'run:recovered') {
      const { runId, recovery } = event.payload
      if (json) printJson({ event: 'recovered', runId, ...recovery })
      else process.stdout.write(`${label(runId)} recovered at epoch ${recovery.epoch}: ${recovery.reason}\n`)
    }
  }
  const manager = cliTrainingManager(dbPath, json, print, label)
  const abort = new AbortController()
  const stop = () => {
    if (!json) process.stderr.write('\nstopping the sweep\'s runs at the next step (Ctrl-C again to abort); clipcast sweep --resume continues it…\n')
    abort.abort()
  }
  try {
    await withInterrupt(stop, async () => {
      const sweepId = begin(manager)
      const planned = getSweep(manager.db, sweepId)
      const k = parallel ?? planned.parallel
      const left = planned.trials.filter((t) => t.state === 'pending' || t.state === 'resumable').length
      if (json) printJson({ event: 'sweep', sweep: { id: sweepId, trials: planned.trials.length, left, parallel: k } })
      else process.stderr.write(`sweep ${sweepId}: ${planned.trials.length} trials, ${left} to train, ${k} at a time\n`)
      const sweep = await runSweep(manager, sweepId, {
        parallel: k,
        signal: abort.signal,
        onTrialStart: (trial, runId, resumed) => {
          trialOf.set(runId, trial)
          if (json) printJson({ event: 'trial', runId, trial: trial.trial, values: trial.values, resumed })
          else process.stderr.write(`${label(runId)} ${resumed ? 'resumed' : 'started'}: ${describeValues(trial.values)}\n`)
        },
        onTrialEnd: (trial, outcome) => {
          if ('error' in outcome) {
            if (json) printJson({ event: 'trial', trial: trial.trial, values: trial.values, error: outcome.error })
            else process.stderr.write(`trial ${trial.trial} could not start: ${outcome.error.message}\n`)
          } else if (json) printJson({ event: 'run', runId: outcome.run.id, trial: trial.trial, run: doneShape(outcome.run) })
          else process.stdout.write(`${label(outcome.run.id)} ${outcome.run.status}: ${outcome.run.epochs} epochs, best val ${formatNumber(outcome.run.bestValLoss) ?? '—'}\n`)
        },
      })
      printSummary(manager, sweep, json)
    })
  } finally {
    await manager.close()
  }
}

function printSummary(manager: TrainingManager, sweep: SweepDetail, json: boolean): void {
  const withRun = sweep.trials.filter((t) => t.runId !== null)
  const runs = withRun.map((t) => ({ trial: t.trial, values: t.values, ...doneShape(getRunSummary(manager.db, t.runId!)) }))
  const failed = sweep.trials.filter((t) => t.state === 'failed').map((t) => ({ trial: t.trial, values: t.values, error: t.error }))
  if (json) {
    printJson({ event: 'done', sweep: { id: sweep.id, finished: sweep.finishedAt !== null, runs, ...(failed.length ? { failed } : {}) } })
    return
  }
  const keys = sweep.spec.dimensions.map((d) => d.key)
  const rows = sweep.trials.map((t) => {
    const run = t.runId === null ? null : getRunSummary(manager.db, t.runId)
    const mae = (run?.metrics as { mae?: number } | null)?.mae
    return [t.trial, t.runId, run?.status ?? t.state, ...keys.map((k) => t.values[k]), run?.epochs, formatNumber(run?.bestValLoss), formatNumber(mae)]
  })
  process.stdout.write(formatTable(['trial', 'run', 'status', ...keys, 'epochs', 'best val', 'test MAE'], rows) + '\n')
  process.stdout.write(sweep.finishedAt ? `sweep ${sweep.id} finished\n` : `sweep ${sweep.id} not finished: clipcast sweep --resume ${sweep.id}\n`)
}
