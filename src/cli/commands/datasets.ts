import type { Command } from 'commander'
import { upgradeTradingDayDatasets } from '../../core/data/trading-day-upgrade'
import { listDatasets } from '../../core/store/datasets'
import { openWorkspace } from '../../core/store/workspace'
import { action, formatTable, printJson } from '../output'
import { publicShape } from './import'
import { workspacePath } from '../args'

/** `clipcast datasets`: the datasets in the workspace. */
export function register(program: Command): void {
  program
    .command('datasets')
    .description('List the datasets in the workspace.')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"datasets":[…]}')
    .action(action(async (options: { db?: string; json?: boolean }) => {
      const db = openWorkspace(workspacePath(options.db))
      try {
        upgradeTradingDayDatasets(db)
        const datasets = listDatasets(db)
        if (options.json) {
          printJson({ datasets: datasets.map(publicShape) })
          return
        }
        if (datasets.length === 0) {
          process.stdout.write('No datasets yet; import one with `clipcast import <file.csv>` or `clipcast import --sample`.\n')
          return
        }
        const rows = datasets.map((d) => [d.id, d.name, d.rows, d.frequency, d.start, d.end, d.columns.filter((c) => c.kind === 'numeric').length, d.warnings.length])
        process.stdout.write(formatTable(['id', 'name', 'rows', 'frequency', 'start', 'end', 'numeric', 'warnings'], rows) + '\n')
      } finally {
        db.close()
      }
    }))
}
