import type { ExportResult, Forecast } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { isoUtc, writeCsvFile, type Cell } from '../data/export'
import { getDataset, readTimes } from '../store/datasets'
import { latestForecast } from '../store/forecasts'
import { getRunSummary } from '../store/runs'
import type { Db } from '../store/workspace'
import { predictTest } from './evaluate'
import { loadRunModel } from './inference'
import { blockIndex } from './metrics'

export interface Table {
  header: string[]
  rows: Cell[][]
}

/** A forecast as a table: the dataset's time column, then one column per target. */
export function forecastTable(forecast: Forecast, timeColumn = 'time'): Table {
  const targets = Object.keys(forecast.values)
  return {
    header: [timeColumn, ...targets],
    rows: forecast.time.map((time, s) => [time, ...targets.map((name) => forecast.values[name]![s] ?? null)]),
  }
}

/**
 * The test part as a table: one row per test window and horizon step — `origin` (the last
 * observed time), `time` (the forecast time), `step` (1…H), then `<target>` (actual) and
 * `<target>_pred` per target. The predictions are recomputed from the best checkpoint exactly
 * as the evaluation computed them, so the mean absolute difference of the pairs is the run's
 * stored test MAE.
 */
export function testTable(db: Db, runId: number): Table {
  const loaded = loadRunModel(db, runId, 'best')
  try {
    const { data } = loaded
    const { test, predicted } = predictTest(db, runId, loaded.model, data, loaded.series)
    const times = readTimes(db, data.dataset.id)
    const header = ['origin', 'time', 'step', ...data.targets.flatMap((name) => [name, `${name}_pred`])]
    const rows: Cell[][] = []
    test.origins.forEach((origin, w) => {
      for (let s = 0; s < data.horizon; s++) {
        const row: Cell[] = [isoUtc(times[origin]!), isoUtc(times[origin + 1 + s]!), s + 1]
        data.targets.forEach((_, k) => {
          const at = blockIndex(test.actual, w, s, k)
          row.push(test.actual.values[at]!, predicted.values[at]!)
        })
        rows.push(row)
      }
    })
    return { header, rows }
  } finally {
    loaded.model.dispose()
  }
}

/** Writes the run's latest forecast or its test part to a CSV file (atomically). */
export function exportRun(db: Db, request: { runId: number; what: 'forecast' | 'test'; path: string }): ExportResult {
  const run = getRunSummary(db, request.runId)
  let table: Table
  if (request.what === 'forecast') {
    table = forecastTable(latestForecast(db, run.id), getDataset(db, run.datasetId).timeColumn)
  } else if (request.what === 'test') {
    table = testTable(db, run.id)
  } else {
    throw new ClipcastError('BAD_REQUEST', `Cannot export "${String(request.what)}".`, { hint: 'Export --what forecast or --what test.' })
  }
  const written = writeCsvFile(request.path, table.header, table.rows)
  return { path: written.path, rows: written.rows }
}
