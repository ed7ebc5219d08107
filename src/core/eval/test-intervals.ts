import type { Db } from '../store/workspace'
import { readTestHalfWidths, type TestHalfWidths } from '../store/test-half-widths'
import { calibrateBatch, startRunCalibration, type RunCalibration } from './calibrate'
import type { LoadedRun } from './inference'
import type { ForecastBlock } from './metrics'
import type { TestSeries } from './score'

/**
 * Where a run's test windows' half-widths come from: the ones its evaluation stored
 * (test-half-widths.ts), or, for a run evaluated before they were stored or whose best
 * checkpoint has changed since, its calibration walked again over every test window in order
 * (calibrate.ts), which gives the same values at the cost of the warm start's rolling origins.
 */
export type TestIntervals = { levels: number[]; stored: TestHalfWidths } | { levels: number[]; calibration: RunCalibration }

/**
 * The source of a loaded run's test half-widths; undefined for a run without intervals and for
 * one evaluated before the online calibration (it draws its fixed bands, calibrate.ts). `test`:
 * the run's test columns, read once by the caller (testSeries).
 */
export async function runTestIntervals(db: Db, loaded: LoadedRun, test: TestSeries): Promise<TestIntervals | undefined> {
  const intervals = loaded.run.metrics?.intervals
  if (intervals?.calibratedOn === undefined) return undefined
  const { data } = loaded
  const stored = readTestHalfWidths(db, loaded.run.id, loaded.checkpoint)
  const fits = stored && stored.windows === data.split.test.length && stored.cells === data.horizon * data.targets.length && stored.levels.join() === intervals.levels.join()
  if (stored && fits) return { levels: stored.levels, stored }
  const calibration = await startRunCalibration(loaded, test)
  return calibration ? { levels: calibration.levels, calibration } : undefined
}

/** Whether every test window must be predicted, in order, to reach a later one's half-widths. */
export function walksEveryWindow(intervals: TestIntervals | undefined): boolean {
  return intervals !== undefined && 'calibration' in intervals
}

/**
 * The half-widths of the test windows `from` … `from + origins.length − 1`, by level
 * ([windows, horizon · targets]); with a calibration, call it for every window in order, as
 * calibrateBatch requires.
 */
export function batchHalfWidths(intervals: TestIntervals, from: number, origins: readonly number[], actual: ForecastBlock, predicted: ForecastBlock): Record<string, Float64Array> {
  if ('calibration' in intervals) return calibrateBatch(intervals.calibration, origins, actual, predicted)
  const { cells, halfWidth } = intervals.stored
  return Object.fromEntries(intervals.levels.map((level) => [String(level), halfWidth[String(level)]!.subarray(from * cells, (from + origins.length) * cells)]))
}
