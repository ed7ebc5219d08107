import { dialog } from 'electron'
import { findBackup, restoreBackup } from '../core/store/backup'
import { openWorkspace, type Db } from '../core/store/workspace'
import { toErrorData } from '../shared/errors'

/**
 * Opens the workspace; a corrupt one offers its automatic backup (docs/reliability.md, case 7: a clear error
 * and a way out, never a crash loop). Null when the user quits or nothing can be opened.
 */
export function openWorkspaceOrRestore(workspacePath: string): Db | null {
  try {
    return openWorkspace(workspacePath)
  } catch (error) {
    const data = toErrorData(error)
    const backup = data.code === 'WORKSPACE_CORRUPT' ? findBackup(workspacePath) : null
    if (backup) {
      const choice = dialog.showMessageBoxSync({
        type: 'error',
        title: 'Clipcast cannot open its workspace',
        message: data.message,
        detail: `An automatic backup from ${backup.madeAt.toLocaleString()} exists. Restoring it keeps the damaged file beside it.`,
        buttons: ['Restore the backup', 'Quit'],
        defaultId: 0,
        cancelId: 1,
      })
      if (choice === 0) {
        try {
          restoreBackup(workspacePath)
          return openWorkspace(workspacePath)
        } catch (restoreError) {
          const failed = toErrorData(restoreError)
          dialog.showErrorBox('Clipcast could not restore the backup', `${failed.message}\n\n${failed.hint ?? ''}`)
        }
      }
      return null
    }
    dialog.showErrorBox('Clipcast cannot open its workspace', `${data.message}\n\n${data.hint ?? ''}\n\nStart Clipcast with CLIPCAST_DB=<another file> to use another workspace.`)
    return null
  }
}
