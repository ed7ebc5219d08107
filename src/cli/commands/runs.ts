import type { Command } from 'commander'
import { deleteRun, detectInterruptedRuns, listRuns } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { exportRunTable } from '../../core/eval/run-table'
import { ClipcastError } from '../../shared/errors'
import type { RunTableSummary } from '../../shared/run-table'
import { resolve } from 'node:path'
import { action, formatTable, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

function parseSummary(text: string | undefined): RunTableSummary {
  if (text === undefined || text === 'best' || text === 'last') return text ?? 'best'
  throw new ClipcastError('BAD_REQUEST', `--summary must be best or last; received ${JSON.stringify(text)}.`, { hint: 'best: the epoch with the lowest validation loss; last: the final epoch.' })
}

const fmt = (value: number | null) => (value === null || !Number.isFinite(value) ? null : value.toPrecision(4))

/** `clipcast runs`: every run of the workspace, newest first; `clipcast runs delete <run>`. */
export function register(program: Command): void {
  const runs = program
    .command('runs')
    .description('List the training runs of the workspace, newest first.')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"runs":[…]}')
    .option('--csv <file>', 'write the run table: one row per run, every setting and metric a column')
    .option('--summary <which>', 'the epoch the loss and gradient columns come from: best | last (default best)')
    .action(action((options: { db?: string; json?: boolean; csv?: string; summary?: string }) => {
      const summary = parseSummary(options.summary)
      const db = openWorkspace(workspacePath(options.db))
      try {
        // a run whose process died shows as interrupted the next time anyone looks
        detectInterruptedRuns(db)
        if (options.csv !== undefined) {
          const written = exportRunTable(db, resolve(options.csv), summary)
          if (options.json) printJson({ csv: written })
          else process.stdout.write(`${written.rows} runs × ${written.columns} columns written to ${written.path}\n`)
          return
        }
        const all = listRuns(db)
        if (options.json) {
          printJson({ runs: all })
          return
        }
        if (all.length === 0) {
          process.stdout.write('No runs yet: start one with clipcast train.\n')
          return
        }
        const rows = all.map((r) => [r.id, r.status, r.datasetId, r.backend, r.epochs, r.bestEpoch, fmt(r.bestValLoss), r.unreadable ? 'unreadable' : r.config.clip === 'none' ? 'none' : r.config.clip === 'auto' ? `auto p${r.config.clipPercentile}` : `${r.config.clip} ${r.config.clipThreshold}`, r.createdAt.replace('T', ' ').slice(0, 19)])
        process.stdout.write(formatTable(['run', 'status', 'dataset', 'backend', 'epochs', 'best', 'best val', 'clip', 'created'], rows) + '\n')
      } finally {
        db.close()
      }
    }))
  runs
    .command('delete')
    .description('Delete a run with its epochs, checkpoints and forecasts.')
    .argument('<run>', 'run id')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"deleted":id}')
    .action(action((run: string, _options: unknown, command: Command) => {
      // --db and --json may also have been taken by the parent `runs` command
      const options = command.optsWithGlobals<{ db?: string; json?: boolean }>()
      const db = openWorkspace(workspacePath(options.db))
      try {
        detectInterruptedRuns(db)
        deleteRun(db, parseRunId(run))
        if (options.json) printJson({ deleted: Number(run) })
        else process.stdout.write(`run ${run} deleted\n`)
      } finally {
        db.close()
      }
    }))
}

