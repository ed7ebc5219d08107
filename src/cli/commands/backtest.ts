import type { Command } from 'commander'
import { runBacktest } from '../../core/train/backtest'
import { selectRunBackend } from '../../core/eval/inference'
import { insertBacktest } from '../../core/store/backtests'
import { getRunSummary } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { action, formatNumber, formatTable, printJson } from '../output'
import { parseRunId, positiveInteger, workspacePath } from '../args'

interface BacktestOptions {
  folds: string
  epochs?: string
  db?: string
  json?: boolean
}


/** `clipcast backtest <run> --folds K`: rolling-origin folds over the run's test period, each retrained on its own past. */
export function register(program: Command): void {
  program
    .command('backtest')
    .description('Rolling-origin backtest: the run\'s test period in K folds, each retrained (same config, its own scaler) on the data before it.')
    .argument('<run>', 'run id')
    .requiredOption('--folds <K>', 'number of folds')
    .option('--epochs <N>', 'epochs per fold (default: the run\'s, at most 5)')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print the result ({"runId","folds":[…],"mean",…}) as JSON')
    .action(action(async (runArg: string, options: BacktestOptions) => {
      const runId = parseRunId(runArg)
      const folds = positiveInteger('folds', options.folds)
      const epochs = options.epochs === undefined ? undefined : positiveInteger('epochs', options.epochs)
      const db = openWorkspace(workspacePath(options.db))
      try {
        const { warnings } = await selectRunBackend(getRunSummary(db, runId))
        const result = await runBacktest(db, runId, {
          folds,
          ...(epochs === undefined ? {} : { epochs }),
          onFold: (fold) => {
            if (!options.json) process.stderr.write(`fold ${fold.fold}/${folds}: ${fold.status}, MAE ${formatNumber(fold.metrics?.mae) ?? '—'}\n`)
          },
        })
        const stored = insertBacktest(db, { ...result, warnings: [...warnings, ...result.warnings] })
        if (options.json) {
          printJson(stored)
          return
        }
        for (const w of stored.warnings) process.stderr.write(`warning ${w.code}: ${w.message}\n`)
        const baselineNames = Object.keys(stored.baselines)
        const header = ['fold', 'test from', 'test to', 'train windows', 'test windows', 'epochs', 'status', 'MAE', 'RMSE', 'sMAPE', 'MASE', ...baselineNames.map((n) => `${n} MAE`)]
        const rows = stored.folds.map((f) => [
          f.fold,
          f.testStart,
          f.testEnd,
          f.trainWindows,
          f.testWindows,
          f.epochs,
          f.status,
          formatNumber(f.metrics?.mae),
          formatNumber(f.metrics?.rmse),
          formatNumber(f.metrics?.smape),
          formatNumber(f.metrics?.mase),
          ...baselineNames.map((n) => formatNumber(f.baselines?.[n]?.mae)),
        ])
        rows.push(['mean', '', '', '', '', '', '', formatNumber(stored.mean.mae), formatNumber(stored.mean.rmse), formatNumber(stored.mean.smape), formatNumber(stored.mean.mase), ...baselineNames.map((n) => formatNumber(stored.baselines[n]?.mae))])
        process.stdout.write(`Backtest ${stored.id} of run ${runId}: ${folds} folds, ${stored.epochs} epochs each\n${formatTable(header, rows)}\n`)
      } finally {
        db.close()
      }
    }))
}
