import type { TestPeriod } from '../../shared/api'
import { isoUtc } from '../data/export'
import { readTimes } from '../store/datasets'
import type { Db } from '../store/workspace'
import { predictBatches, testSeries } from './evaluate'
import { loadRunModel, type LoadedRun } from './inference'
import { blockIndex, type ForecastBlock } from './metrics'
import type { TestSeries } from './score'
import { batchHalfWidths, runTestIntervals, walksEveryWindow } from './test-intervals'

/** At most this many test windows go to the view, the latest; the slider steps through them. */
export const MAX_VIEW_WINDOWS = 1000

/**
 * The run's test part for the run view: its best checkpoint's predictions from each test
 * window's origin (the same predictions the stored metrics scored, predictWindows) beside the
 * observed rows, and each window's intervals as calibrated at its origin (calibrate.ts), as the
 * evaluation stored them (test-intervals.ts).
 * Windows never span a gap, so a window's steps are the rows after its origin.
 * NON_FINITE_WEIGHTS when a prediction is not finite.
 */
export async function testPeriod(db: Db, runId: number): Promise<TestPeriod> {
  const loaded = loadRunModel(db, runId, 'best')
  try {
    return await testPeriodOf(db, loaded)
  } finally {
    loaded.model.dispose()
  }
}

export async function testPeriodOf(db: Db, loaded: LoadedRun): Promise<TestPeriod> {
  const { run, data } = loaded
  const { horizon, lookback, targets } = data
  const all = data.split.test
  const shownFrom = Math.max(0, all.length - MAX_VIEW_WINDOWS)
  const test = testSeries(db, data)
  const { predicted, halfWidth } = await shownPredictions(db, loaded, test, shownFrom)
  const origins = Array.from(all.subarray(shownFrom), (start) => start + lookback - 1)
  const first = origins[0] ?? 0
  const end = origins.length > 0 ? origins[origins.length - 1]! + horizon + 1 : 0
  const times = readTimes(db, data.dataset.id)
  const columns = test.series
  const rows = Array.from({ length: end - first }, (_, i) => first + i)
  const values: TestPeriod['actual']['values'] = {}
  targets.forEach((name, k) => (values[name] = rows.map((row) => (Number.isFinite(columns[k]![row]!) ? columns[k]![row]! : null))))
  const cells = horizon * targets.length
  const windows = origins.map((origin, w) => ({
    at: origin - first,
    predicted: Object.fromEntries(targets.map((name, k) => [name, Array.from({ length: horizon }, (_, s) => predicted.values[blockIndex(predicted, w, s, k)]!)])),
    ...(halfWidth ? { halfWidth: Object.fromEntries(Object.entries(halfWidth).map(([level, widths]) => [level, Array.from(widths.subarray(w * cells, (w + 1) * cells))])) } : {}),
  }))
  const intervals = run.metrics?.intervals
  return { runId: run.id, horizon, targets: [...targets], actual: { time: rows.map((row) => isoUtc(times[row]!)), values }, windows, totalWindows: all.length, ...(intervals ? { intervals } : {}) }
}

/**
 * The predictions of the test windows from `shownFrom` on and, for a run with intervals, each
 * one's half-widths (by level, [windows, horizon · targets]): the stored ones, or, without
 * them, every test window walked in order (calibrateBatch), as the evaluation did, since a
 * window's interval rests on the residuals of all earlier ones.
 */
async function shownPredictions(db: Db, loaded: LoadedRun, test: TestSeries, shownFrom: number): Promise<{ predicted: ForecastBlock; halfWidth?: Record<string, Float64Array> }> {
  const { data } = loaded
  const all = data.split.test
  const intervals = await runTestIntervals(db, loaded, test)
  const cells = data.horizon * data.targets.length
  const predicted: ForecastBlock = { values: new Float64Array((all.length - shownFrom) * cells), windows: all.length - shownFrom, horizon: data.horizon, targets: data.targets.length }
  const halfWidth = intervals ? Object.fromEntries(intervals.levels.map((level) => [String(level), new Float64Array(predicted.values.length)])) : undefined
  const batches = predictBatches({ ...loaded, runId: loaded.run.id }, test, all, { from: walksEveryWindow(intervals) ? 0 : shownFrom })
  for await (const { from: at, origins, predicted: block, actual } of batches) {
    const widths = intervals ? batchHalfWidths(intervals, at, origins, actual, block) : undefined
    // the part of this batch that is shown
    const skip = Math.max(0, shownFrom - at)
    if (skip >= origins.length) continue
    const offset = (at + skip - shownFrom) * cells
    predicted.values.set(block.values.subarray(skip * cells), offset)
    if (halfWidth && widths) for (const level of Object.keys(halfWidth)) halfWidth[level]!.set(widths[level]!.subarray(skip * cells), offset)
  }
  return halfWidth ? { predicted, halfWidth } : { predicted }
}
