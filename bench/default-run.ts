// The public series of bench:quality and bench:intervals (bench/data, attribution in
// bench/data/README.md) and one run trained on each with default settings: the file and the
// targets given; horizon, lookback, epochs and patience as suggestRunSettings picks, as the CLI
// does; trained in this process through trainRun (the session the worker runs).
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { importCsv } from '../src/core/data/import'
import { createRun } from '../src/core/store/runs'
import type { Db } from '../src/core/store/workspace'
import { trainRun, type SessionEvents } from '../src/core/train/session'
import type { DatasetSummary } from '../src/shared/api'
import { RunConfigSchema, type RunConfig } from '../src/shared/run-config'
import { suggestRunSettings } from '../src/shared/run-defaults'

export interface Series {
  key: string
  file: string
  targets: string[]
  what: string
}

export const SERIES: Series[] = [
  { key: 'co2', file: 'co2-concentration.csv', targets: ['CO2'], what: 'Mauna Loa CO2, monthly' },
  { key: 'seattle', file: 'seattle-weather-hourly-normals.csv', targets: ['temperature'], what: 'Seattle temperature normals, hourly' },
  { key: 'global-temp', file: 'global-temp.csv', targets: ['temp'], what: 'global temperature anomaly, yearly' },
  { key: 'sp500-monthly', file: 'sp500.csv', targets: ['price'], what: 'S&P 500 close, monthly' },
  { key: 'sp500-daily', file: 'sp500-2000.csv', targets: ['close'], what: 'S&P 500 close, trading days' },
  { key: 'seattle-daily', file: 'seattle-weather.csv', targets: ['temp_max'], what: 'Seattle daily maximum temperature' },
]

const here = dirname(fileURLToPath(import.meta.url))

/** Imports the series into `db` and trains one default run on it; `overrides` sets any RunConfig field (for ablations). */
export async function trainDefaultRun(
  db: Db,
  series: Series,
  seed: number,
  options: { overrides?: Record<string, unknown>; events?: Partial<SessionEvents> } = {},
): Promise<{ dataset: DatasetSummary; config: RunConfig; runId: number }> {
  const overrides = options.overrides ?? {}
  const dataset = await importCsv(db, { path: resolve(here, 'data', series.file) })
  const given = overrides as { horizon?: number; lookback?: number; epochs?: number; patience?: number }
  const suggestion = suggestRunSettings({ frequency: dataset.frequency, rows: dataset.rows, ...given })
  const config = RunConfigSchema.parse({
    datasetId: dataset.id,
    targets: series.targets,
    horizon: suggestion.horizon,
    lookback: suggestion.lookback,
    epochs: suggestion.epochs,
    patience: suggestion.patience,
    seed,
    ...overrides,
  })
  const runId = createRun(db, config, dataset.sha256 ?? '', { pid: process.pid, token: 'bench' })
  const quiet: SessionEvents = { progress: () => {}, epoch: () => {}, recovered: () => {}, ready: () => {}, warning: () => {} }
  await trainRun({ db, runId, resume: false, stopRequested: () => false, events: { ...quiet, ...options.events } })
  return { dataset, config, runId }
}
