import type { Command } from 'commander'
import { changeRunLabels, getRunLabels } from '../../core/store/run-labels'
import { openWorkspace } from '../../core/store/workspace'
import type { RunLabelChange, RunLabels } from '../../shared/run-labels'
import { action, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

const collect = (value: string, all: string[]) => [...all, value]

/** Applies a change (none: only reads) to a run's labels and prints them. */
export function labelCommand(runArg: string, change: RunLabelChange | null, options: { db?: string; json?: boolean }): void {
  const db = openWorkspace(workspacePath(options.db))
  try {
    const runId = parseRunId(runArg)
    const labels: RunLabels = change === null ? getRunLabels(db, runId) : changeRunLabels(db, runId, change)
    if (options.json) return printJson({ labels })
    process.stdout.write(`run ${runId}  tags: ${labels.tags.join(' ') || '—'}\n${labels.note ? `note: ${labels.note}\n` : ''}`)
  } finally {
    db.close()
  }
}

/** `clipcast tag <run> [tags…] [--remove tag]`: adds or removes a run's tags (the run table searches and exports them). */
export function register(program: Command): void {
  program
    .command('tag')
    .description('Add tags to a run (or remove them with --remove); with no tags, print its tags and note.')
    .argument('<run>', 'run id')
    .argument('[tags...]', 'tags to add: words without commas or "=" (spaces inside one tag become -)')
    .option('--remove <tag>', 'a tag to remove; repeat for more', collect, [])
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"labels":{"runId","tags","note"}}')
    .action(action((runArg: string, tags: string[], options: { remove: string[]; db?: string; json?: boolean }) => {
      const change = tags.length > 0 || options.remove.length > 0 ? { add: tags, remove: options.remove } : null
      labelCommand(runArg, change, options)
    }))
}
