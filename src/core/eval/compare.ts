import type { Comparison, Metrics, RunDetail, RunSummary } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'

/**
 * Side-by-side comparison of runs, shaped so a table or chart can draw it directly:
 * - `differences`: only the config keys whose values differ, one value per run;
 * - `metrics`: one row per quantity (`test.mae`, `naive.mase`, `coverage.80`,
 *   `clip.maxPreClipNorm`, …), one value per run, null where a run has none or the value is
 *   not comparable;
 * - `perHorizon`: per series (`test.mae`, `naive.mae`, `seasonalNaive.mae`) one array per
 *   run, one value per horizon step, over the steps every run has;
 * - `notes`: what was left out and why.
 *
 * Comparable means: values in original units (MAE, RMSE, per horizon) only between runs on
 * the same dataset and the same targets; overall test metrics only between runs with the same
 * horizon; scale-free sMAPE and MASE also across datasets. Per-target rows (test MAE and
 * RMSE, baseline MAE) for the targets all runs share on one dataset.
 */
export const BASELINE_NAMES = ['naive', 'seasonalNaive', 'drift', 'linear'] as const

export interface ClippingStats {
  /** The threshold in force at the last epoch (a recovery may have lowered it); null without clipping. */
  threshold: number | null
  /** Fraction of training steps whose gradients were clipped, over all epochs. */
  fractionClipped: number | null
  /** Largest global gradient norm before clipping, over all steps. */
  maxPreClipNorm: number | null
}

export function clippingStats(run: RunDetail): ClippingStats {
  const records = run.epochRecords
  const lastThreshold = records.length > 0 ? records[records.length - 1]!.clipThreshold : null
  const threshold = lastThreshold ?? (run.config.clip === 'none' ? null : run.config.clipThreshold)
  if (records.length === 0) return { threshold, fractionClipped: null, maxPreClipNorm: null }
  // every epoch has the same number of steps, so the plain mean is the fraction over all steps
  const fractionClipped = records.reduce((sum, r) => sum + r.clippedFraction, 0) / records.length
  const maxPreClipNorm = Math.max(...records.map((r) => r.gradNorm.max))
  return { threshold, fractionClipped, maxPreClipNorm }
}

/** What the runs have in common decides which rows may be compared (see the module's comment). */
interface Common {
  sameDataset: boolean
  sameTargets: boolean
  sameHorizon: boolean
  /** The horizon steps every run has. */
  commonSteps: number
  unitsComparable: boolean
  /** Each evaluated run's targets, sorted. */
  targetSets: string[][]
}

type MetricsOf = (run: RunDetail) => Metrics | null | undefined

/** The test metrics, then each baseline's. */
const SERIES: Array<[string, MetricsOf]> = [
  ['test', (r) => r.metrics],
  ...BASELINE_NAMES.map((name): [string, MetricsOf] => [name, (r) => r.baselines?.[name]]),
]

export function compareRuns(details: readonly RunDetail[]): Comparison {
  const ids = details.map((d) => d.id)
  if (new Set(ids).size < 2) {
    throw new ClipcastError('COMPARE_TOO_FEW', `A comparison needs at least two different runs (got ${ids.join(', ') || 'none'}).`, {
      hint: 'Choose two or more runs to compare.',
    })
  }
  const common = commonGround(details)
  return {
    runs: details.map(toSummary),
    differences: configDifferences(details),
    metrics: metricRows(details, common),
    perHorizon: perHorizonRows(details, common),
    notes: comparisonNotes(details, common),
  }
}

function commonGround(details: readonly RunDetail[]): Common {
  const sameDataset = new Set(details.map((d) => d.datasetId)).size === 1
  // runs without metrics have nothing per target to compare; the evaluated ones decide
  const targetSets = details.filter((d) => d.metrics !== null).map((d) => Object.keys(d.metrics!.perTarget).sort())
  const sameTargets = allEqual(targetSets)
  const sameHorizon = new Set(details.map((d) => d.config.horizon)).size === 1
  const commonSteps = Math.min(...details.map((d) => d.config.horizon))
  return { sameDataset, sameTargets, sameHorizon, commonSteps, unitsComparable: sameDataset && sameTargets, targetSets }
}

/** What was left out of the comparison, and why. */
function comparisonNotes(details: readonly RunDetail[], common: Common): string[] {
  const notes: string[] = []
  if (!common.sameDataset) {
    const datasets = new Set(details.map((d) => d.datasetId))
    notes.push(
      `The runs use different datasets (${[...datasets].join(', ')}): errors in original units (MAE, RMSE, per horizon, per target) are left out; only scale-free sMAPE and MASE and the training statistics are compared.`,
    )
  } else if (!common.sameTargets) {
    notes.push('The runs forecast different targets: overall MAE, RMSE and per-horizon errors are left out; MAE and RMSE are compared per shared target.')
  }
  if (!common.sameHorizon) {
    const horizons = new Set(details.map((d) => d.config.horizon))
    notes.push(`The runs forecast different horizons (${[...horizons].join(', ')}): overall test metrics are left out; per-horizon errors are compared over steps 1–${common.commonSteps}.`)
  }
  if (common.sameDataset && !allEqual(details.map((d) => [d.config.lookback, d.config.valFraction, d.config.testFraction]))) {
    notes.push('The runs split the data differently (lookback, validation or test fraction): their test windows are not the same rows.')
  }
  for (const run of details) {
    if (run.metrics === null) notes.push(`Run ${run.id} (${run.status}) has no test metrics.`)
  }
  return notes
}

/** One row per quantity, one value per run; null where a run has none or it is not comparable. */
function metricRows(details: readonly RunDetail[], common: Common): Record<string, Array<number | null>> {
  const { sameHorizon, unitsComparable } = common
  const metrics: Record<string, Array<number | null>> = {}
  const row = (name: string, value: (run: RunDetail) => number | null | undefined) => {
    metrics[name] = details.map((run) => finiteOrNull(value(run)))
  }
  row('epochs', (r) => r.epochs)
  row('bestEpoch', (r) => r.bestEpoch)
  row('bestValLoss', (r) => r.bestValLoss)
  for (const [prefix, pick] of SERIES) {
    const overall = (value: (m: Metrics) => number | null) => (run: RunDetail) => {
      const m = pick(run)
      return m && sameHorizon ? value(m) : null
    }
    row(`${prefix}.mae`, unitsComparable ? overall((m) => m.mae) : () => null)
    row(`${prefix}.rmse`, unitsComparable ? overall((m) => m.rmse) : () => null)
    row(`${prefix}.smape`, overall((m) => m.smape))
    row(`${prefix}.mase`, overall((m) => m.mase))
  }
  if (common.sameDataset) {
    for (const target of sharedTargets(common.targetSets)) {
      row(`test.mae[${target}]`, (r) => (sameHorizon ? r.metrics?.perTarget[target]?.mae : null))
      row(`test.rmse[${target}]`, (r) => (sameHorizon ? r.metrics?.perTarget[target]?.rmse : null))
      for (const [prefix, pick] of SERIES.slice(1)) row(`${prefix}.mae[${target}]`, (r) => (sameHorizon ? pick(r)?.perTarget[target]?.mae : null))
    }
  }
  // interval coverage is a share of test pairs: comparable across datasets like MASE
  const levels = [...new Set(details.flatMap((d) => Object.keys(d.metrics?.coverage ?? {})))].sort((a, b) => Number(a) - Number(b))
  for (const level of levels) row(`coverage.${level}`, (r) => r.metrics?.coverage?.[level])
  row('clip.threshold', (r) => clippingStats(r).threshold)
  row('clip.fractionClipped', (r) => clippingStats(r).fractionClipped)
  row('clip.maxPreClipNorm', (r) => clippingStats(r).maxPreClipNorm)
  row('recoveries', (r) => r.recoveries.length)
  return metrics
}

/** Per series, one array per run of its MAE at each horizon step every run has (original units only). */
function perHorizonRows(details: readonly RunDetail[], common: Common): Record<string, Array<Array<number | null>>> {
  const perHorizon: Record<string, Array<Array<number | null>>> = {}
  if (!common.unitsComparable) return perHorizon
  for (const [prefix, pick] of SERIES) {
    perHorizon[`${prefix}.mae`] = details.map((run) =>
      Array.from({ length: common.commonSteps }, (_, s) => finiteOrNull(pick(run)?.perHorizon.find((p) => p.step === s + 1)?.mae)),
    )
  }
  return perHorizon
}

/** Config keys whose values are not all equal, one value per run (undefined as null). */
export function configDifferences(runs: readonly RunSummary[]): Record<string, unknown[]> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.config)))]
  const differences: Record<string, unknown[]> = {}
  for (const key of keys) {
    const values = runs.map((r) => (r.config as Record<string, unknown>)[key] ?? null)
    if (!allEqual(values)) differences[key] = values
  }
  return differences
}

function sharedTargets(sets: ReadonlyArray<string[]>): string[] {
  const [first, ...rest] = sets
  if (!first) return []
  return first.filter((t) => rest.every((s) => s.includes(t)))
}

function toSummary(run: RunDetail): RunSummary {
  const { epochRecords: _e, recoveries: _r, checkpoints: _c, ...summary } = run
  return summary
}

function allEqual(values: readonly unknown[]): boolean {
  const first = JSON.stringify(values[0])
  return values.every((v) => JSON.stringify(v) === first)
}

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}
