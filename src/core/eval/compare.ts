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

export function compareRuns(details: readonly RunDetail[]): Comparison {
  const ids = details.map((d) => d.id)
  if (new Set(ids).size < 2) {
    throw new ClipcastError('COMPARE_TOO_FEW', `A comparison needs at least two different runs (got ${ids.join(', ') || 'none'}).`, {
      hint: 'Name two or more run ids, e.g. clipcast compare 3 4; clipcast runs lists them.',
    })
  }
  const notes: string[] = []
  const datasets = new Set(details.map((d) => d.datasetId))
  const sameDataset = datasets.size === 1
  // runs without metrics have nothing per target to compare; the evaluated ones decide
  const targetSets = details.filter((d) => d.metrics !== null).map((d) => Object.keys(d.metrics!.perTarget).sort())
  const sameTargets = allEqual(targetSets)
  const horizons = new Set(details.map((d) => d.config.horizon))
  const sameHorizon = horizons.size === 1
  const commonSteps = Math.min(...details.map((d) => d.config.horizon))
  const unitsComparable = sameDataset && sameTargets

  if (!sameDataset) {
    notes.push(
      `The runs use different datasets (${[...datasets].join(', ')}): errors in original units (MAE, RMSE, per horizon, per target) are left out; only scale-free sMAPE and MASE and the training statistics are compared.`,
    )
  } else if (!sameTargets) {
    notes.push('The runs forecast different targets: overall MAE, RMSE and per-horizon errors are left out; MAE and RMSE are compared per shared target.')
  }
  if (!sameHorizon) {
    notes.push(`The runs forecast different horizons (${[...horizons].join(', ')}): overall test metrics are left out; per-horizon errors are compared over steps 1–${commonSteps}.`)
  }
  if (sameDataset && !allEqual(details.map((d) => [d.config.lookback, d.config.valFraction, d.config.testFraction]))) {
    notes.push('The runs split the data differently (lookback, validation or test fraction): their test windows are not the same rows.')
  }
  for (const run of details) {
    if (run.metrics === null) notes.push(`Run ${run.id} (${run.status}) has no test metrics.`)
  }

  const metrics: Record<string, Array<number | null>> = {}
  const row = (name: string, value: (run: RunDetail) => number | null | undefined) => {
    metrics[name] = details.map((run) => finiteOrNull(value(run)))
  }
  row('epochs', (r) => r.epochs)
  row('bestEpoch', (r) => r.bestEpoch)
  row('bestValLoss', (r) => r.bestValLoss)
  const series: Array<[string, (run: RunDetail) => Metrics | null | undefined]> = [
    ['test', (r) => r.metrics],
    ...BASELINE_NAMES.map((name): [string, (run: RunDetail) => Metrics | null | undefined] => [name, (r) => r.baselines?.[name]]),
  ]
  for (const [prefix, pick] of series) {
    const overall = (value: (m: Metrics) => number | null) => (run: RunDetail) => {
      const m = pick(run)
      return m && sameHorizon ? value(m) : null
    }
    row(`${prefix}.mae`, unitsComparable ? overall((m) => m.mae) : () => null)
    row(`${prefix}.rmse`, unitsComparable ? overall((m) => m.rmse) : () => null)
    row(`${prefix}.smape`, overall((m) => m.smape))
    row(`${prefix}.mase`, overall((m) => m.mase))
  }
  if (sameDataset) {
    for (const target of sharedTargets(targetSets)) {
      row(`test.mae[${target}]`, (r) => (sameHorizon ? r.metrics?.perTarget[target]?.mae : null))
      row(`test.rmse[${target}]`, (r) => (sameHorizon ? r.metrics?.perTarget[target]?.rmse : null))
      for (const [prefix, pick] of series.slice(1)) row(`${prefix}.mae[${target}]`, (r) => (sameHorizon ? pick(r)?.perTarget[target]?.mae : null))
    }
  }
  // interval coverage is a share of test pairs: comparable across datasets like MASE
  const levels = [...new Set(details.flatMap((d) => Object.keys(d.metrics?.coverage ?? {})))].sort((a, b) => Number(a) - Number(b))
  for (const level of levels) row(`coverage.${level}`, (r) => r.metrics?.coverage?.[level])
  row('clip.threshold', (r) => clippingStats(r).threshold)
  row('clip.fractionClipped', (r) => clippingStats(r).fractionClipped)
  row('clip.maxPreClipNorm', (r) => clippingStats(r).maxPreClipNorm)
  row('recoveries', (r) => r.recoveries.length)

  const perHorizon: Record<string, Array<Array<number | null>>> = {}
  if (unitsComparable) {
    for (const [prefix, pick] of series) {
      perHorizon[`${prefix}.mae`] = details.map((run) =>
        Array.from({ length: commonSteps }, (_, s) => finiteOrNull(pick(run)?.perHorizon.find((p) => p.step === s + 1)?.mae)),
      )
    }
  }

  return { runs: details.map(toSummary), differences: configDifferences(details), metrics, perHorizon, notes }
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
