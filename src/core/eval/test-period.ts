import type { TestPeriod } from '../../shared/api'
import { isoUtc } from '../data/export'
import { readTimes } from '../store/datasets'
import type { Db } from '../store/workspace'
import { assertFinitePredictions, predictWindows, testSeries } from './evaluate'
import { loadRunModel, type LoadedRun } from './inference'
import { blockIndex } from './metrics'

/** At most this many test windows go to the view, the latest; the slider steps through them. */
export const MAX_VIEW_WINDOWS = 1000

/**
 * The run's test part for the run view: its best checkpoint's predictions from each test
 * window's origin (the same predictions the stored metrics scored, predictWindows) beside the
 * observed rows. Windows never span a gap, so a window's steps are the rows after its origin.
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

export async function testPeriodOf(db: Db, { run, data, model, series }: LoadedRun): Promise<TestPeriod> {
  const { horizon, lookback, targets } = data
  const all = data.split.test
  const starts = all.subarray(Math.max(0, all.length - MAX_VIEW_WINDOWS))
  const predicted = await predictWindows(model, data, series, starts)
  assertFinitePredictions(predicted.values, run.id)
  const origins = Array.from(starts, (start) => start + lookback - 1)
  const first = origins[0] ?? 0
  const end = origins.length > 0 ? origins[origins.length - 1]! + horizon + 1 : 0
  const times = readTimes(db, data.dataset.id)
  const columns = testSeries(db, data).series
  const rows = Array.from({ length: end - first }, (_, i) => first + i)
  const values: TestPeriod['actual']['values'] = {}
  targets.forEach((name, k) => (values[name] = rows.map((row) => (Number.isFinite(columns[k]![row]!) ? columns[k]![row]! : null))))
  const windows = origins.map((origin, w) => ({
    at: origin - first,
    predicted: Object.fromEntries(targets.map((name, k) => [name, Array.from({ length: horizon }, (_, s) => predicted.values[blockIndex(predicted, w, s, k)]!)])),
  }))
  const intervals = run.metrics?.intervals
  return { runId: run.id, horizon, targets: [...targets], actual: { time: rows.map((row) => isoUtc(times[row]!)), values }, windows, totalWindows: all.length, ...(intervals ? { intervals } : {}) }
}
