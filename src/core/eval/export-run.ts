import type { ExportResult, Forecast } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { writeCsvFile, writeCsvFileAsync, type Cell } from '../data/export'
import { timeFormatter, timeHeader } from '../data/time-style'
import { getDataset, readTimes } from '../store/datasets'
import { latestForecast } from '../store/forecasts'
import { getRunSummary } from '../store/runs'
import type { Db } from '../store/workspace'
import { predictBatches, testSeries } from './evaluate'
import { loadRunModel, type LoadedRun } from './inference'
import { blockIndex } from './metrics'
import type { TestSeries } from './score'
import { batchHalfWidths, runTestIntervals, type TestIntervals } from './test-intervals'

export interface Table {
  header: string[]
  rows: Cell[][]
}

/**
 * A forecast as a table: the dataset's time column (in its own style when `formatTime` is
 * given), then per target its forecast and, for each interval level, `<target>_lo<level>` and
 * `<target>_hi<level>`.
 */
export function forecastTable(forecast: Forecast, timeColumn = 'time', formatTime?: (ms: number) => string): Table {
  const targets = Object.keys(forecast.values)
  const levels = Object.keys(forecast.intervals ?? {})
  const columns = targets.flatMap((name) => [
    { header: name, values: forecast.values[name]! },
    ...levels.flatMap((level) => [
      { header: `${name}_lo${level}`, values: forecast.intervals![level]!.lower[name]! },
      { header: `${name}_hi${level}`, values: forecast.intervals![level]!.upper[name]! },
    ]),
  ])
  return {
    header: [timeHeader(timeColumn), ...columns.map((c) => c.header)],
    rows: forecast.time.map((time, s) => [formatTime ? formatTime(Date.parse(time)) : time, ...columns.map((c) => c.values[s] ?? null)]),
  }
}

/** The header of the test-part table: `origin`, `time`, `step`, then per target `<target>`, `<target>_pred` and, per interval level, `<target>_lo<level>`, `<target>_hi<level>`. */
export function testHeader(targets: readonly string[], levels: readonly number[] = []): string[] {
  return ['origin', 'time', 'step', ...targets.flatMap((name) => [name, `${name}_pred`, ...levels.flatMap((level) => [`${name}_lo${level}`, `${name}_hi${level}`])])]
}

/**
 * The test part's rows, one per test window and horizon step — `origin` (the last observed
 * time), `time` (the forecast time), `step` (1…H), then per target the actual, the prediction
 * and its interval bounds as calibrated at the window's origin (calibrate.ts, as the stored
 * coverage scored them; test-intervals.ts) — made one batch of windows at a time, so the whole table never
 * exists at once. The predictions are computed from the loaded checkpoint in the same batches
 * as the evaluation (predictBatches), so the mean absolute difference of the pairs is the
 * run's stored test MAE. `test`: the run's test columns (testSeries), read once per export.
 * NON_FINITE_WEIGHTS when a prediction is not finite.
 */
export async function* testRows(db: Db, loaded: LoadedRun, options: { test: TestSeries; intervals?: TestIntervals; batchSize?: number; isoTimes?: boolean }): AsyncGenerator<Cell[]> {
  const { data } = loaded
  const { intervals } = options
  const times = readTimes(db, data.dataset.id)
  const format = timeFormatter(data.dataset, options.isoTimes ?? false)
  const levels = intervals?.levels ?? []
  const batches = predictBatches({ ...loaded, runId: loaded.run.id }, options.test, data.split.test, options.batchSize === undefined ? {} : { batchSize: options.batchSize })
  for await (const { from, origins, predicted, actual } of batches) {
    const halfWidth = intervals ? batchHalfWidths(intervals, from, origins, actual, predicted) : {}
    for (let w = 0; w < origins.length; w++) {
      const origin = origins[w]!
      for (let s = 0; s < data.horizon; s++) {
        const row: Cell[] = [format(times[origin]!), format(times[origin + 1 + s]!), s + 1]
        for (let k = 0; k < data.targets.length; k++) {
          const at = blockIndex(actual, w, s, k)
          row.push(actual.values[at]!, predicted.values[at]!)
          for (const level of levels) row.push(predicted.values[at]! - halfWidth[String(level)]![at]!, predicted.values[at]! + halfWidth[String(level)]![at]!)
        }
        yield row
      }
    }
  }
}

/** Writes the run's latest forecast or its test part to a CSV file (atomically). */
export async function exportRun(db: Db, request: { runId: number; what: 'forecast' | 'test'; path: string; isoTimes?: boolean }): Promise<ExportResult> {
  const run = getRunSummary(db, request.runId)
  if (request.what === 'forecast') {
    const dataset = getDataset(db, run.datasetId)
    const table = forecastTable(latestForecast(db, run.id), dataset.timeColumn, timeFormatter(dataset, request.isoTimes))
    const written = writeCsvFile(request.path, table.header, table.rows)
    return { path: written.path, rows: written.rows }
  }
  if (request.what === 'test') {
    const loaded = loadRunModel(db, run.id, 'best')
    try {
      const test = testSeries(db, loaded.data)
      const intervals = await runTestIntervals(db, loaded, test)
      const header = testHeader(loaded.data.targets, intervals?.levels)
      const rows = testRows(db, loaded, { test, ...(intervals ? { intervals } : {}), ...(request.isoTimes === undefined ? {} : { isoTimes: request.isoTimes }) })
      const written = await writeCsvFileAsync(request.path, header, rows)
      return { path: written.path, rows: written.rows }
    } finally {
      loaded.model.dispose()
    }
  }
  throw new ClipcastError('BAD_REQUEST', `Cannot export "${String(request.what)}".`, { hint: 'Export the forecast or the test period.' })
}
