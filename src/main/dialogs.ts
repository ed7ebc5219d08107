import { BrowserWindow, dialog } from 'electron'
import type { Dialogs } from '../core/api-handlers'

const CSV_FILTERS = [
  { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] },
  { name: 'All files', extensions: ['*'] },
]

/** Native dialogs: the only way a path reaches the handlers in the desktop app. */
export function nativeDialogs(): Dialogs {
  const parent = (): BrowserWindow | undefined => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  return {
    async openCsv() {
      const window = parent()
      const options = { title: 'Import a CSV file', properties: ['openFile' as const], filters: CSV_FILTERS }
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    async saveCsv(defaultName) {
      const window = parent()
      const options = { title: 'Export as CSV', defaultPath: defaultName, filters: [CSV_FILTERS[0]!] }
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
  }
}

const WORKSPACE_FILTERS = [{ name: 'Clipcast workspaces', extensions: ['db'] }]

/** File ▸ New Workspace (a file to create) or Open Workspace (an existing file); null when cancelled. */
export async function chooseWorkspace(kind: 'new' | 'open'): Promise<string | null> {
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  if (kind === 'new') {
    const options = { title: 'New workspace', defaultPath: 'Untitled.db', buttonLabel: 'Create', filters: WORKSPACE_FILTERS }
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  }
  const options = { title: 'Open a workspace', properties: ['openFile' as const], filters: WORKSPACE_FILTERS }
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

/** Switching workspaces stops the runs in flight: asks first. */
export function confirmStopRuns(count: number): boolean {
  const options = {
    type: 'question' as const,
    message: `${count === 1 ? 'A run is' : `${count} runs are`} training in this workspace.`,
    detail: 'Switching workspaces stops them at the next step; each stays resumable from its last checkpoint.',
    buttons: ['Stop and switch', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  }
  const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
  return (window ? dialog.showMessageBoxSync(window, options) : dialog.showMessageBoxSync(options)) === 0
}
