// `npm run bench:intervals [-- --datasets co2,… --seeds 1,2]`: how interval calibration rules
// cover, first on the validation part (calibrated on the warm start's out-of-sample history,
// then walking the validation windows in time order, src/core/eval/online-conformal.ts), where
// a rule may be chosen, then on the test part (calibrated on history and validation), which
// only reports. One default run per series (bench/data), trained as bench:quality trains.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectBackend } from '../src/core/backend'
import { historyResiduals } from '../src/core/eval/calibrate'
import { originsOf, predictWindows, seasonOf, testSeries } from '../src/core/eval/evaluate'
import { loadRunModel, type LoadedRun } from '../src/core/eval/inference'
import { addWindow, createOnlineConformal, halfWidthsAt } from '../src/core/eval/online-conformal'
import { actualBlock } from '../src/core/eval/score'
import { openWorkspace, type Db } from '../src/core/store/workspace'
import { SERIES, trainDefaultRun, type Series } from './default-run'

// the series whose calibration rule was chosen (the default of --datasets)
const STUDIED = ['co2', 'seattle', 'global-temp', 'sp500-monthly']
const LEVELS = [80, 95]
/** Rules: the latest `capacity` known residuals per step, ACI's step γ (0: none), and whether the walked windows join the calibration. */
const RULES = [
  { name: 'static (no update)', capacity: 5000, gamma: 0, update: false },
  { name: 'expanding', capacity: 5000, gamma: 0, update: true },
  { name: 'latest 100', capacity: 100, gamma: 0, update: true },
  { name: 'ACI γ 0.005', capacity: 5000, gamma: 0.005, update: true },
  { name: 'ACI γ 0.02', capacity: 5000, gamma: 0.02, update: true },
  { name: 'ACI γ 0.05', capacity: 5000, gamma: 0.05, update: true },
]

type Windows = Array<{ origin: number; residuals: Float64Array }>

async function residualsOf(db: Db, { data, model, series }: LoadedRun, starts: ArrayLike<number>): Promise<Windows> {
  const predicted = await predictWindows(model, data, series, starts)
  const origins = originsOf(data, starts)
  const actual = actualBlock(testSeries(db, data).series, origins, data.horizon)
  const cells = data.horizon * data.targets.length
  return origins.map((origin, w) => ({ origin, residuals: Float64Array.from({ length: cells }, (_, c) => Math.abs(actual.values[w * cells + c]! - predicted.values[w * cells + c]!)) }))
}

/** Coverage per level of `walked`, calibrated on `before` and, as the rule says, on the walked windows known at each origin. */
function walk(rule: (typeof RULES)[number], horizon: number, targets: number, before: Windows, walked: Windows): Record<string, number> {
  const online = createOnlineConformal(horizon, targets, rule.capacity, { gamma: rule.gamma, levels: LEVELS })
  before.forEach((w) => addWindow(online, w.origin, w.residuals))
  const fixed = halfWidthsAt(online, Infinity, LEVELS)
  const inside: Record<string, number> = Object.fromEntries(LEVELS.map((l) => [String(l), 0]))
  let pairs = 0
  for (const w of walked) {
    const widths = rule.update ? halfWidthsAt(online, w.origin, LEVELS) : fixed
    w.residuals.forEach((r, c) => {
      if (!Number.isFinite(r)) return
      pairs++
      for (const l of LEVELS) if (r <= widths[String(l)]![c]!) inside[String(l)]!++
    })
    if (rule.update) addWindow(online, w.origin, w.residuals, widths)
  }
  return Object.fromEntries(LEVELS.map((l) => [String(l), inside[String(l)]! / pairs]))
}

async function study(series: Series, seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'clipcast-intervals-'))
  const db = openWorkspace(join(dir, 'ws.db'))
  try {
    const { config, runId } = await trainDefaultRun(db, series, seed)
    const loaded = loadRunModel(db, runId, 'best')
    try {
      const { data, model, series: scaled } = loaded
      const history = historyResiduals(model, data, scaled, seasonOf(config, data))
      const cells = data.horizon * data.targets.length
      const past: Windows = history ? originsOf(data, history.starts).map((origin, w) => ({ origin, residuals: history.residuals.subarray(w * cells, (w + 1) * cells) })) : []
      const val = await residualsOf(db, loaded, data.split.val)
      const test = await residualsOf(db, loaded, data.split.test)
      return RULES.map((rule) => ({
        rule: rule.name,
        val: walk(rule, data.horizon, data.targets.length, past, val),
        test: walk(rule, data.horizon, data.targets.length, [...past, ...val], test),
      }))
    } finally {
      loaded.dispose()
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const argv = process.argv.slice(2)
const get = (name: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : undefined)
const keys = get('datasets')?.split(',') ?? STUDIED
const seeds = (get('seeds') ?? '1').split(',').map(Number)
const backend = await selectBackend('auto')
const rows: Array<{ key: string; rule: string; val: Record<string, number>; test: Record<string, number> }> = []
for (const series of SERIES.filter((s) => keys.includes(s.key))) {
  for (const seed of seeds) {
    for (const r of await study(series, seed)) rows.push({ key: series.key, ...r })
    process.stderr.write(`${series.key} seed ${seed} done\n`)
  }
}
const pct = (v: number) => `${(v * 100).toFixed(0)}%`
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length
process.stdout.write(`coverage 80 / 95, mean of seeds ${seeds.join(', ')}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]!.toFixed(1)}, backend ${backend.name}\n`)
process.stdout.write(`| rule | ${keys.map((k) => `${k} val | ${k} test`).join(' | ')} | mean val | mean test | val miss |\n|${'---|'.repeat(keys.length * 2 + 4)}\n`)
for (const rule of RULES) {
  const of = (key: string, part: 'val' | 'test', level: string) => mean(rows.filter((r) => r.key === key && r.rule === rule.name).map((r) => r[part][level]!))
  const cells = keys.flatMap((k) => (['val', 'test'] as const).map((part) => `${pct(of(k, part, '80'))} / ${pct(of(k, part, '95'))}`))
  const means = (['val', 'test'] as const).map((part) => `${pct(mean(keys.map((k) => of(k, part, '80'))))} / ${pct(mean(keys.map((k) => of(k, part, '95'))))}`)
  // the choosing score, on validation only: mean absolute distance from the nominal levels
  const miss = mean(keys.flatMap((k) => LEVELS.map((l) => Math.abs(of(k, 'val', String(l)) - l / 100))))
  process.stdout.write(`| ${rule.name} | ${cells.join(' | ')} | ${means.join(' | ')} | ${(miss * 100).toFixed(1)} |\n`)
}
