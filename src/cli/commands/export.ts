import type { Command } from 'commander'
import { resolve } from 'node:path'
import { ClipcastError } from '../../shared/errors'
import { exportRun } from '../../core/eval/export-run'
import { makeForecast } from '../../core/eval/forecast'
import { selectRunBackend } from '../../core/eval/inference'
import { listForecasts } from '../../core/store/forecasts'
import { getRunSummary } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { action, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

interface ExportOptions {
  out: string
  what: string
  isoTimes?: boolean
  db?: string
  json?: boolean
}

/** `clipcast export <run> --out f.csv [--what forecast|test]`: RFC 4180 CSV, written atomically. */
export function register(program: Command): void {
  program
    .command('export')
    .description('Export a run to CSV: its latest forecast (made first if it has none), or its test part (actual and predicted per window and step).')
    .argument('<run>', 'run id')
    .requiredOption('--out <file.csv>', 'file to write (replaced atomically)')
    .option('--what <what>', 'forecast (time + one column per target) | test (origin, time, step, <target>, <target>_pred …)', 'forecast')
    .option('--iso-times', 'write times as ISO 8601 UTC, not in the dataset\'s own style (1974Q1, local wall clock)')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"path","rows","what"} as JSON')
    .action(action(async (runArg: string, options: ExportOptions) => {
      const runId = parseRunId(runArg)
      if (options.what !== 'forecast' && options.what !== 'test') {
        throw new ClipcastError('BAD_REQUEST', `--what must be forecast or test; received ${options.what}.`, { hint: 'Use --what forecast or --what test.' })
      }
      const what = options.what
      const db = openWorkspace(workspacePath(options.db))
      try {
        // the test part is recomputed from the best checkpoint; a forecast is made when the run has none yet
        if (what === 'test' || listForecasts(db, runId).length === 0) {
          const { warnings } = await selectRunBackend(getRunSummary(db, runId))
          if (what === 'forecast') warnings.push(...(await makeForecast(db, runId)).warnings)
          if (!options.json) for (const w of warnings) process.stderr.write(`warning ${w.code}: ${w.message}\n`)
        }
        const result = await exportRun(db, { runId, what, path: resolve(options.out), ...(options.isoTimes ? { isoTimes: true } : {}) })
        if (options.json) printJson({ ...result, what })
        else process.stdout.write(`Wrote ${result.rows} rows (${what}) to ${result.path}\n`)
      } finally {
        db.close()
      }
    }))
}
