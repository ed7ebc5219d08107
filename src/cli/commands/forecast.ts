import type { Command } from 'commander'
import { resolve } from 'node:path'
import type { Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { RUN_FIELD } from '../../shared/run-fields'
import type { BackendChoice } from '../../core/backend'
import { writeCsvFile } from '../../core/data/export'
import { timeFormatter } from '../../core/data/time-style'
import { forecastTable } from '../../core/eval/export-run'
import { makeForecast } from '../../core/eval/forecast'
import { selectRunBackend } from '../../core/eval/inference'
import { getDataset } from '../../core/store/datasets'
import { getRunSummary } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { action, formatNumber, formatTable, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

interface ForecastOptions {
  out?: string
  step?: string
  isoTimes?: boolean
  backend?: BackendChoice
  db?: string
  json?: boolean
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']

/** `clipcast forecast <run>`: H steps past the end of the dataset with the best checkpoint. */
export function register(program: Command): void {
  program
    .command('forecast')
    .description('Forecast the steps after the end of the dataset with the run\'s best checkpoint (stored with the run).')
    .argument('<run>', 'run id')
    .option('--out <file.csv>', 'also write the forecast as CSV (time column + one column per target)')
    .option('--step <step>', 'time between forecast rows when the dataset is irregular, e.g. 1h, 15m, 1d, 1M (months)')
    .option('--iso-times', 'write times as ISO 8601 UTC, not in the dataset\'s own style (1974Q1, local wall clock)')
    .option('--backend <backend>', `${RUN_FIELD.backend.choices!.join(' | ')} (default: the one the run trained on)`)
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"forecast":{…},"warnings":[…]} as JSON')
    .action(action(async (runArg: string, options: ForecastOptions) => {
      const runId = parseRunId(runArg)
      if (options.backend !== undefined && !BACKENDS.includes(options.backend)) {
        throw new ClipcastError('BAD_REQUEST', `--backend must be one of ${BACKENDS.join(', ')}; received ${options.backend}.`)
      }
      const db = openWorkspace(workspacePath(options.db))
      try {
        const run = getRunSummary(db, runId)
        const warnings: Warning[] = (await selectRunBackend(run, options.backend)).warnings
        const result = await makeForecast(db, runId, options.step === undefined ? {} : { step: options.step })
        warnings.push(...result.warnings)
        const dataset = getDataset(db, run.datasetId)
        const table = forecastTable(result.forecast, dataset.timeColumn, timeFormatter(dataset, options.isoTimes))
        const written = options.out ? writeCsvFile(resolve(options.out), table.header, table.rows) : null
        if (options.json) {
          printJson({ forecast: result.forecast, warnings, ...(written ? { out: written.path } : {}) })
          return
        }
        for (const w of warnings) process.stderr.write(`warning ${w.code}: ${w.message}\n`)
        process.stdout.write(`Forecast ${result.forecast.id} of run ${runId}, from ${result.forecast.origin}, ${result.forecast.horizon} steps:\n`)
        process.stdout.write(formatTable(table.header, table.rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)))) + '\n')
        if (written) process.stdout.write(`Wrote ${written.rows} rows to ${written.path}\n`)
      } finally {
        db.close()
      }
    }))
}
