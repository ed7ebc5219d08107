// `npm run bench:quality [-- --json] [--datasets co2,seattle,…] [--set key=value …] [--seeds 42,7]`
// Forecast quality with default settings on public series: each dataset is imported into a
// fresh workspace and one default run trained on it (bench/default-run.ts). Reported per dataset: test MASE of the model and of each baseline the run
// scored on the same windows, interval coverage, training seconds. `--set normalize=global`
// (etc.) overrides any RunConfig field, for ablations.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectBackend } from '../src/core/backend'
import { getRunSummary } from '../src/core/store/runs'
import { openWorkspace } from '../src/core/store/workspace'
import type { Metrics } from '../src/shared/api'
import { SERIES, trainDefaultRun, type Series } from './default-run'

const BASELINES = ['naive', 'seasonalNaive', 'drift', 'linear'] as const

interface Result {
  key: string
  what: string
  frequency: string
  horizon: number
  lookback: number
  epochs: number
  bestEpoch: number | null
  windows: { train: number; val: number; test: number }
  mase: Record<string, number | null>
  coverage: Record<string, number> | null
  trainSeconds: number
  seed: number
  status: string
  /** The linear forecast the highway started from, and the run's words on how it was chosen (and kept). */
  start: string
  notes: string[]
}

function parseArgs(argv: string[]) {
  const get = (name: string) => {
    const at = argv.indexOf(`--${name}`)
    return at >= 0 ? argv[at + 1] : undefined
  }
  const overrides: Record<string, unknown> = {}
  argv.forEach((arg, i) => {
    if (arg !== '--set') return
    const [key, raw] = (argv[i + 1] ?? '').split('=')
    if (!key || raw === undefined) return
    const number = Number(raw)
    overrides[key] = raw.includes(',') ? raw.split(',').map(Number) : Number.isFinite(number) && raw.trim() !== '' ? number : raw
  })
  return {
    json: argv.includes('--json'),
    datasets: get('datasets')?.split(',') ?? SERIES.map((s) => s.key),
    seeds: (get('seeds') ?? '42').split(',').map(Number),
    overrides,
  }
}

async function runOne(series: Series, seed: number, overrides: Record<string, unknown>): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'clipcast-quality-'))
  const db = openWorkspace(join(dir, 'ws.db'))
  try {
    let windows = { train: 0, val: 0, test: 0 }
    let start = '—'
    const notes: string[] = []
    const started = performance.now()
    const { dataset, config, runId } = await trainDefaultRun(db, series, seed, {
      overrides,
      events: {
        ready: (info) => (windows = { train: info.trainWindows, val: info.valWindows, test: info.testWindows }),
        warning: (w) => {
          if (w.code === 'WARM_START') start = /starts at the (\S+)/.exec(w.message)?.[1] ?? '?'
          if (w.code === 'WARM_START' || w.code === 'START_KEPT') notes.push(w.message)
        },
      },
    })
    const trainSeconds = (performance.now() - started) / 1000
    const run = getRunSummary(db, runId)
    const mase: Record<string, number | null> = { model: run.metrics?.mase ?? null }
    for (const name of BASELINES) mase[name] = run.baselines?.[name]?.mase ?? null
    const coverage = (run.metrics as (Metrics & { coverage?: Record<string, number> }) | null)?.coverage ?? null
    return { key: series.key, what: series.what, frequency: dataset.frequency, horizon: config.horizon, lookback: config.lookback, epochs: run.epochs, bestEpoch: run.bestEpoch, windows, mase, coverage, trainSeconds, seed, status: run.status, start, notes }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const fmt = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits))

function table(results: Result[]): string {
  const header = ['series', 'H / L', 'epochs (best)', 'val windows', 'start', 'model', 'naive', 'seas. naive', 'drift', 'linear', 'cov 80', 'cov 95', 'train s']
  const rows = results.map((r) => [
    r.what,
    `${r.horizon} / ${r.lookback}`,
    `${r.epochs} (${r.bestEpoch ?? '—'})`,
    String(r.windows.val),
    r.start,
    fmt(r.mase.model),
    ...BASELINES.map((name) => fmt(r.mase[name])),
    r.coverage?.['80'] === undefined ? '—' : `${(r.coverage['80'] * 100).toFixed(0)}%`,
    r.coverage?.['95'] === undefined ? '—' : `${(r.coverage['95'] * 100).toFixed(0)}%`,
    r.trainSeconds.toFixed(0),
  ])
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n')
}

/** Means over seeds, per dataset. */
function averaged(results: Result[]): Result[] {
  const keys = [...new Set(results.map((r) => r.key))]
  return keys.map((key) => {
    const group = results.filter((r) => r.key === key)
    const mean = (pick: (r: Result) => number | null | undefined) => {
      const values = group.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length
    }
    const first = group[0]!
    const mase = Object.fromEntries(Object.keys(first.mase).map((name) => [name, mean((r) => r.mase[name])]))
    const coverage = first.coverage ? Object.fromEntries(Object.keys(first.coverage).map((level) => [level, mean((r) => r.coverage?.[level]) ?? NaN])) : null
    return { ...first, mase, coverage, trainSeconds: mean((r) => r.trainSeconds) ?? 0, epochs: Math.round(mean((r) => r.epochs) ?? 0) }
  })
}

/**
 * The model's test MASE against the best of naive, seasonal naive and drift, and against the
 * linear baseline, per series, with their geometric means over the series (relative errors
 * average geometrically: a series twice as good offsets one twice as bad).
 */
function ratios(summary: Result[]): { perSeries: Array<{ key: string; toBest: number; toLinear: number }>; geometricMean: { toBest: number; toLinear: number } } {
  const perSeries = summary.flatMap((r) => {
    const best = Math.min(...(['naive', 'seasonalNaive', 'drift'] as const).map((name) => r.mase[name] ?? Infinity))
    const model = r.mase.model
    const linear = r.mase.linear
    return typeof model === 'number' && typeof linear === 'number' && Number.isFinite(best) ? [{ key: r.key, toBest: model / best, toLinear: model / linear }] : []
  })
  const geometric = (pick: (r: { toBest: number; toLinear: number }) => number) => Math.exp(perSeries.reduce((sum, r) => sum + Math.log(pick(r)), 0) / perSeries.length)
  return { perSeries, geometricMean: { toBest: geometric((r) => r.toBest), toLinear: geometric((r) => r.toLinear) } }
}

function ratioLine(summary: Result[]): string {
  const { perSeries, geometricMean } = ratios(summary)
  const met = perSeries.filter((r) => r.toBest <= 1 + 1e-9 && r.toLinear <= 1.05).map((r) => r.key)
  const missed = perSeries.filter((r) => !met.includes(r.key)).map((r) => `${r.key} ${r.toBest.toFixed(3)}× best, ${r.toLinear.toFixed(3)}× linear`)
  return (
    `model / best of naive, seasonal naive, drift: geometric mean ${geometricMean.toBest.toFixed(3)}×; model / linear: ${geometricMean.toLinear.toFixed(3)}×; ` +
    `at most the best and 1.05× linear on ${met.length} of ${perSeries.length} series${missed.length > 0 ? ` (not: ${missed.join('; ')})` : ''}`
  )
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const backend = await selectBackend((args.overrides.backend as 'auto' | undefined) ?? 'auto')
  const results: Result[] = []
  for (const series of SERIES.filter((s) => args.datasets.includes(s.key))) {
    for (const seed of args.seeds) {
      try {
        const result = await runOne(series, seed, args.overrides)
        results.push(result)
        if (!args.json) process.stderr.write(`${series.key} seed ${seed}: model ${fmt(result.mase.model)} linear ${fmt(result.mase.linear)} (${result.trainSeconds.toFixed(0)} s)\n`)
      } catch (error) {
        process.stderr.write(`${series.key}: ${(error as Error).message}\n`)
      }
    }
  }
  const summary = averaged(results)
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]!.toFixed(1)}, backend ${backend.name}`
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ machine, overrides: args.overrides, seeds: args.seeds, results, summary, ratios: ratios(summary) }, null, 2)}\n`)
    return
  }
  process.stdout.write(`test MASE (lower is better), mean of seeds ${args.seeds.join(', ')}; ${machine}\n`)
  if (Object.keys(args.overrides).length > 0) process.stdout.write(`overrides: ${JSON.stringify(args.overrides)}\n`)
  process.stdout.write(`${table(summary)}\n${ratioLine(summary)}\n`)
}

await main()
