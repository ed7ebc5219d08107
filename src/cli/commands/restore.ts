import type { Command } from 'commander'
import { restoreBackup } from '../../core/store/backup'
import { openWorkspace } from '../../core/store/workspace'
import { ClipcastError, hasErrorCode } from '../../shared/errors'
import { action, printJson } from '../output'
import { workspacePath } from '../args'

/** `clipcast restore`: the way out of WORKSPACE_CORRUPT (docs/reliability.md, case 7). */
export function register(program: Command): void {
  program
    .command('restore')
    .description('Replace a damaged workspace with its newest automatic backup that passes its check (<workspace>.backup, .backup.1, .backup.2); refused while another Clipcast has it open; the damaged file is kept beside it.')
    .option('--force', 'restore even though the workspace opens cleanly')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"restored":{"path","from","damaged"}}')
    .action(action(async (options: { force?: boolean; db?: string; json?: boolean }) => {
      const path = workspacePath(options.db)
      if (!options.force && opensCleanly(path)) {
        throw new ClipcastError('BAD_REQUEST', `The workspace ${path} opens cleanly; restoring its backup would lose what changed since the backup.`, {
          hint: 'Add --force to restore the backup anyway (the current file is kept beside it).',
        })
      }
      const { restoredFrom, damaged } = restoreBackup(path)
      // the restored copy goes through the same checks (integrity, schema) as any open
      openWorkspace(path).close()
      if (options.json) printJson({ restored: { path, from: restoredFrom, damaged } })
      else process.stdout.write(`Restored ${path} from ${restoredFrom}; the damaged file is now ${damaged}.\n`)
    }))
}

function opensCleanly(path: string): boolean {
  try {
    openWorkspace(path, { readOnly: true }).close()
    return true
  } catch (error) {
    if (hasErrorCode(error, 'WORKSPACE_CORRUPT')) return false
    throw error
  }
}
