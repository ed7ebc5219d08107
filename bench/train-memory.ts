// `npm run bench:memory [-- --json] [--rows 10000,100000,1000000] [--steps N | --full-epoch] [--backend auto|wasm|cpu|tensorflow] [--cache-caps]`
// Issue 5: training on a long import streams windows in batches, so memory stays bounded as
// rows grow. For each size a synthetic hourly series (4 numeric columns: sines + noise) is
// written as CSV and imported through importCsv (the product's import) by one child process;
// a second child trains it through TrainingManager (what `clipcast train` uses: a worker
// thread in the same process) for a fixed number of steps and stops the run through the
// manager (as Ctrl-C does), then reports its peak RSS. The engine has no step limit, and a
// full epoch of 1M rows is ~22,000 steps, so stopping is the honest way to bound the work.
// A stopped run skips the validation pass and the test evaluation; `--full-epoch` runs one
// whole epoch to completion instead, to measure those too.
import { spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const DEFAULT_ROWS = [10_000, 100_000, 1_000_000]
const DEFAULT_STEPS = 200
/** Steps before timing starts: the first ones compile kernels and fill the block cache. */
const WARMUP_STEPS = 5

interface PrepareResult {
  datasetId: number
  rows: number
  csvMiB: number
  importSeconds: number
  importPeakRssMiB: number
}

interface TrainResult {
  rows: number
  backend: string
  steps: number
  msPerStep: number
  /** Start of the run until its worker reported ready: data planned (times, windows, scaler) and model built. */
  planSeconds: number
  /** maxRSS of the process once the modules are loaded, before the manager exists. */
  startRssMiB: number
  /** maxRSS when the run was ready, i.e. the peak of planning. */
  readyPeakRssMiB: number
  /** maxRSS at the last timed training step (before any validation pass or evaluation). */
  stepsPeakRssMiB: number
  /** maxRSS when the run had ended. */
  peakRssMiB: number
  /** From the last step to the run's end: the stop, or (full epoch) validation, evaluation and checkpoints. */
  afterStepsSeconds: number
  status: string
  /** Steps of a full epoch: training windows / batch. */
  stepsPerEpoch: number
}

interface Row {
  rows: number
  peakRssMiB: number
  msPerStep: number
  steps: number
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name)
  return at >= 0 ? process.argv[at + 1] : undefined
}

const maxRssMiB = () => process.resourceUsage().maxRSS / 1024

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length === 0 ? NaN : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Hourly rows from 2000-01-01: daily, weekly and yearly sines plus seeded noise, one coupled column. */
async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path)
  out.write('time,temperature,pressure,humidity,load\n')
  const start = Date.UTC(2000, 0, 1)
  let seed = 12345
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648 - 0.5
  }
  const tau = 2 * Math.PI
  let buffer = ''
  for (let r = 0; r < rows; r++) {
    const day = Math.sin((tau * r) / 24)
    const year = Math.sin((tau * r) / 8766)
    const temperature = 12 + 8 * year + 4 * day + noise()
    const pressure = 1013 + 6 * Math.sin((tau * r) / 168) + 2 * noise()
    const humidity = 70 - 15 * day + 5 * noise()
    const load = 50 + 0.8 * temperature + 10 * Math.sin((tau * r) / 168 + 1) + 3 * noise()
    buffer += `${new Date(start + r * 3_600_000).toISOString().slice(0, 19)},${temperature.toFixed(3)},${pressure.toFixed(2)},${humidity.toFixed(2)},${load.toFixed(3)}\n`
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain')
      buffer = ''
    }
  }
  out.end(buffer)
  await once(out, 'finish')
}

/** Child 1: CSV → workspace through the product's import (its own process, so its peak is not counted against training). */
async function prepare(dir: string, rows: number): Promise<PrepareResult> {
  const { statSync } = await import('node:fs')
  const { importCsv } = await import('../src/core/data/import')
  const { openWorkspace } = await import('../src/core/store/workspace')
  const csv = join(dir, `series-${rows}.csv`)
  await writeCsv(csv, rows)
  const db = openWorkspace(join(dir, 'bench.db'))
  try {
    const started = performance.now()
    const dataset = await importCsv(db, { path: csv })
    const importSeconds = (performance.now() - started) / 1000
    return { datasetId: dataset.id, rows: dataset.rows, csvMiB: statSync(csv).size / 2 ** 20, importSeconds, importPeakRssMiB: maxRssMiB() }
  } finally {
    db.close()
    rmSync(csv, { force: true })
  }
}

/**
 * Child 2: trains the imported dataset through TrainingManager. By default for `steps` steps,
 * then the run is stopped; with `fullEpoch` one whole epoch runs to the end, validation pass
 * and test evaluation included (the run completes).
 */
async function train(dir: string, datasetId: number, rows: number, steps: number, backend: string, fullEpoch: boolean): Promise<TrainResult> {
  const { TrainingManager } = await import('../src/core/train/runs-service')
  const { spawnTrainingThread } = await import('../src/core/train/worker-threads')
  const startRssMiB = maxRssMiB()
  const stepTimes: number[] = []
  let stepsPerEpoch = 0
  let stepsPeakRssMiB = 0
  let resolveSteps: () => void = () => {}
  const enoughSteps = new Promise<void>((resolveEnough) => (resolveSteps = resolveEnough))
  const manager = new TrainingManager({
    dbPath: join(dir, 'bench.db'),
    spawn: spawnTrainingThread,
    progressEvery: 1,
    onEvent: (name, payload) => {
      if (name !== 'run:progress') return
      const progress = payload as { step: number; stepsPerEpoch: number }
      stepsPerEpoch = progress.stepsPerEpoch
      stepTimes.push(performance.now())
      if (stepTimes.length === (fullEpoch ? stepsPerEpoch : steps)) {
        stepsPeakRssMiB = maxRssMiB()
        resolveSteps()
      }
    },
  })
  try {
    const started = performance.now()
    // the CLI's defaults (lookback 48, horizon 24, 16 filters, batch 32); one epoch, so a run shorter than --steps ends instead of rolling over
    const { runId } = await manager.start({ datasetId, epochs: 1, backend: backend as 'auto' })
    const planSeconds = (performance.now() - started) / 1000
    const readyPeakRssMiB = maxRssMiB()
    const run = manager.wait(runId)
    await Promise.race([enoughSteps, run])
    if (!fullEpoch) await manager.stop(runId)
    const summary = await run
    const finished = performance.now()
    if (fullEpoch && summary.status !== 'completed') throw new Error(`run ${runId} ended ${summary.status}${summary.error ? `: ${summary.error.message}` : ''}`)
    if (!fullEpoch && stepsPerEpoch < steps) throw new Error(`${rows} rows give only ${stepsPerEpoch} steps per epoch; use --steps ${stepsPerEpoch} or fewer`)
    if (!fullEpoch && stepTimes.length < steps) throw new Error(`run ${runId} ended ${summary.status} after ${stepTimes.length} of ${steps} steps${summary.error ? `: ${summary.error.message}` : ''}`)
    // intervals between consecutive steps after the warm-up: batch cutting plus the step itself
    const intervals = stepTimes.slice(WARMUP_STEPS + 1).map((t, k) => t - stepTimes[WARMUP_STEPS + k]!)
    return {
      rows,
      backend: summary.backend ?? backend,
      steps: stepTimes.length,
      msPerStep: median(intervals),
      planSeconds,
      afterStepsSeconds: (finished - stepTimes[stepTimes.length - 1]!) / 1000,
      startRssMiB,
      readyPeakRssMiB,
      stepsPeakRssMiB,
      peakRssMiB: maxRssMiB(),
      stepsPerEpoch,
      status: summary.status,
    }
  } finally {
    await manager.close()
  }
}

interface CacheProbeRow {
  capMiB: number
  cachedBlocks: number
  blocks: number
  msPerBatch: number
}

/**
 * Child 3 (`--cache-caps`): how the batch reader (ScaledSeries, 65,536-row blocks, LRU) behaves
 * when the series does not fit its byte cap, which in a run is 256 MiB (16.7M rows at 4
 * columns, 1M rows at 64): the same shuffled batches of 32 windows as epoch 1, cut with the
 * whole series cached, with half of it, and with the 2-block minimum. The cap is the class's
 * own constructor argument; nothing in the product changes.
 */
async function cacheProbe(dir: string, datasetId: number): Promise<CacheProbeRow[]> {
  const { openWorkspace } = await import('../src/core/store/workspace')
  const { readColumn } = await import('../src/core/store/datasets')
  const { CHUNK_ROWS } = await import('../src/core/store/migrations')
  const { planTrainingData } = await import('../src/core/data/training-data')
  const { batchArrays, ScaledSeries, shuffledOrder } = await import('../src/core/data/batches')
  const { RunConfigSchema } = await import('../src/shared/run-config')
  const db = openWorkspace(join(dir, 'bench.db'))
  try {
    const config = RunConfigSchema.parse({ datasetId, epochs: 1 })
    const data = planTrainingData(db, config)
    const order = shuffledOrder(data.split.train, config.seed, 1)
    const blocks = Math.ceil(data.dataset.rows / CHUNK_ROWS)
    const blockBytes = CHUNK_ROWS * data.scales.length * 4
    const caps = [256 * 2 ** 20, Math.floor(blocks / 2) * blockBytes, 1]
    return caps.map((cap) => {
      const series = new ScaledSeries((name, range) => readColumn(db, data.dataset.id, name, range), data.scales, data.dataset.rows, CHUNK_ROWS, cap)
      const batchAt = (step: number) => batchArrays(series, data, order.subarray(step * config.batch, (step + 1) * config.batch))
      for (let step = 0; step < 50; step++) batchAt(step)
      const started = performance.now()
      for (let step = 50; step < 150; step++) batchAt(step)
      const cachedBlocks = Math.min(blocks, Math.max(2, Math.floor(cap / blockBytes)))
      return { capMiB: cap / 2 ** 20, cachedBlocks, blocks, msPerBatch: (performance.now() - started) / 100 }
    })
  } finally {
    db.close()
  }
}

function lastJsonLine<T>(text: string): T | undefined {
  const line = text.trim().split('\n').filter((l) => l.startsWith('{')).pop()
  return line === undefined ? undefined : (JSON.parse(line) as T)
}

function runChild<T>(args: string[]): T {
  const out = spawnSync(process.execPath, [resolve(root, 'bin/run-ts.mjs'), resolve(here, 'train-memory.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  const parsed = lastJsonLine<T>(out.stdout ?? '')
  if (out.status !== 0 || parsed === undefined) throw new Error(`bench child ${args.join(' ')} failed (exit ${out.status}): ${(out.stderr ?? '').trim().split('\n').slice(-8).join('\n')}`)
  return parsed
}

function formatTable(header: string[], cells: string[][]): string {
  const widths = header.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)))
  const line = (c: string[]) => c.map((v, k) => v.padStart(widths[k]!)).join('  ')
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

async function main(): Promise<void> {
  const dir = option('--dir')
  const rowsOption = option('--rows')
  const steps = Number(option('--steps') ?? DEFAULT_STEPS)
  const backend = option('--backend') ?? 'auto'
  const fullEpoch = process.argv.includes('--full-epoch')
  if (!Number.isInteger(steps) || steps <= WARMUP_STEPS + 1) throw new Error(`--steps must be a whole number above ${WARMUP_STEPS + 1}`)
  if (process.argv.includes('--prepare')) {
    process.stdout.write(`${JSON.stringify(await prepare(dir!, Number(rowsOption)))}\n`)
    return
  }
  if (process.argv.includes('--train')) {
    process.stdout.write(`${JSON.stringify(await train(dir!, Number(option('--dataset')), Number(rowsOption), steps, backend, fullEpoch))}\n`)
    return
  }

  if (process.argv.includes('--cache-probe')) {
    process.stdout.write(`${JSON.stringify({ rows: await cacheProbe(dir!, Number(option('--dataset'))) })}\n`)
    return
  }

  const json = process.argv.includes('--json')
  const cacheCaps = process.argv.includes('--cache-caps')
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`)
  const sizes = rowsOption === undefined ? DEFAULT_ROWS : rowsOption.split(',').map(Number)
  say(`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}; ${fullEpoch ? 'one whole epoch, validation and evaluation' : `${steps} steps`} per size (${WARMUP_STEPS} warm-up steps untimed), backend ${backend}`)
  const results: Array<{ prepared: PrepareResult; trained: TrainResult }> = []
  for (const rows of sizes) {
    const workspace = mkdtempSync(join(tmpdir(), 'clipcast-bench-memory-'))
    try {
      const prepared = runChild<PrepareResult>(['--prepare', '--dir', workspace, '--rows', String(rows)])
      const trained = runChild<TrainResult>(['--train', '--dir', workspace, '--rows', String(rows), '--dataset', String(prepared.datasetId), '--steps', String(steps), '--backend', backend, ...(fullEpoch ? ['--full-epoch'] : [])])
      results.push({ prepared, trained })
      say(
        `${rows.toLocaleString('en-US')} rows: import ${prepared.importSeconds.toFixed(1)} s (CSV ${prepared.csvMiB.toFixed(1)} MiB, peak RSS ${prepared.importPeakRssMiB.toFixed(0)} MiB); ` +
          `training on ${trained.backend}: plan ${trained.planSeconds.toFixed(1)} s, ${trained.steps} steps at ${trained.msPerStep.toFixed(1)} ms/step, run ${trained.status}, peak RSS ${trained.peakRssMiB.toFixed(0)} MiB`,
      )
      if (cacheCaps) {
        const probe = runChild<{ rows: CacheProbeRow[] }>(['--cache-probe', '--dir', workspace, '--dataset', String(prepared.datasetId)]).rows
        say(`${rows.toLocaleString('en-US')} rows, batch reader with the series (${probe[0]!.blocks} blocks) not fitting its cache:`)
        say(formatTable(['cache cap MiB', 'blocks cached', 'ms per batch of 32 windows'], probe.map((p) => [p.capMiB < 1 ? '≈0 (2-block minimum)' : p.capMiB.toFixed(0), `${p.cachedBlocks} of ${p.blocks}`, p.msPerBatch.toFixed(2)])))
      }
    } finally {
      rmSync(workspace, { recursive: true, force: true })
    }
  }
  const header = ['rows', 'backend', 'steps', 'ms/step', 'plan s', 'after steps s', 'RSS at start MiB', 'peak at ready MiB', 'peak after steps MiB', 'peak RSS MiB', 'import peak MiB']
  say(
    formatTable(
      header,
      results.map(({ prepared, trained: t }) => [
        t.rows.toLocaleString('en-US'), t.backend, String(t.steps), t.msPerStep.toFixed(1), t.planSeconds.toFixed(1), t.afterStepsSeconds.toFixed(1),
        t.startRssMiB.toFixed(0), t.readyPeakRssMiB.toFixed(0), t.stepsPeakRssMiB.toFixed(0), t.peakRssMiB.toFixed(0), prepared.importPeakRssMiB.toFixed(0),
      ]),
    ),
  )
  say(`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`)
  if (json) {
    const rows: Row[] = results.map(({ trained: t }) => ({ rows: t.rows, peakRssMiB: Math.round(t.peakRssMiB * 10) / 10, msPerStep: Math.round(t.msPerStep * 10) / 10, steps: t.steps }))
    process.stdout.write(`${JSON.stringify(rows)}\n`)
  }
}

await main()
