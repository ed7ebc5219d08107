import type { Forecast } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import type { Db } from './workspace'

/**
 * Forecasts as the user saw them: origin (the last observed timestamp), the timestamps and
 * the values per target in original units. Values are JSON numbers; a non-finite value (never
 * produced by a model that passed its weight check) would be stored as null.
 */
export interface StoredForecast extends Forecast {
  id: number
  createdAt: string
}

interface ForecastRow {
  id: number
  run_id: number
  origin_time: string
  horizon: number
  created_at: string
  times_json: string
  values_json: string
  intervals_json: string | null
}

export function insertForecast(db: Db, forecast: Forecast): StoredForecast {
  const createdAt = new Date().toISOString()
  const result = db
    .prepare('INSERT INTO forecasts (run_id, origin_time, horizon, created_at, times_json, values_json, intervals_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(forecast.runId, forecast.origin, forecast.horizon, createdAt, JSON.stringify(forecast.time), JSON.stringify(forecast.values), forecast.intervals ? JSON.stringify(forecast.intervals) : null)
  return { ...forecast, id: Number(result.lastInsertRowid), createdAt }
}

function fromRow(row: ForecastRow): StoredForecast {
  const values = JSON.parse(row.values_json) as Record<string, Array<number | null>>
  return {
    id: row.id,
    runId: row.run_id,
    origin: row.origin_time,
    horizon: row.horizon,
    createdAt: row.created_at,
    time: JSON.parse(row.times_json) as string[],
    values: Object.fromEntries(Object.entries(values).map(([name, column]) => [name, column.map((v) => (v === null ? NaN : v))])),
    ...(row.intervals_json ? { intervals: JSON.parse(row.intervals_json) as NonNullable<Forecast['intervals']> } : {}),
  }
}

/** The run's forecasts, newest first. */
export function listForecasts(db: Db, runId: number): StoredForecast[] {
  return (db.prepare('SELECT * FROM forecasts WHERE run_id = ? ORDER BY id DESC').all(runId) as ForecastRow[]).map(fromRow)
}

/** The run's newest forecast; NOT_EVALUATED when it has none yet. */
export function latestForecast(db: Db, runId: number): StoredForecast {
  const row = db.prepare('SELECT * FROM forecasts WHERE run_id = ? ORDER BY id DESC LIMIT 1').get(runId) as ForecastRow | undefined
  if (!row) {
    throw new ClipcastError('NOT_EVALUATED', `Run ${runId} has no stored forecast.`, { hint: `Make one with clipcast forecast ${runId}.` })
  }
  return fromRow(row)
}
