import { BrowserWindow, dialog, type MessageBoxSyncOptions, type OpenDialogOptions, type SaveDialogOptions } from 'electron'
import type { Dialogs } from '../core/api-handlers'

const CSV_FILTERS = [
  { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] },
  { name: 'All files', extensions: ['*'] },
]
const WORKSPACE_FILTERS = [{ name: 'Clipcast workspaces', extensions: ['db'] }]

/** The window a dialog belongs to: the focused one, else the first. */
export function parentWindow(): BrowserWindow | undefined {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
}

async function openFile(options: OpenDialogOptions): Promise<string | null> {
  const window = parentWindow()
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
  return result.canceled ? null : (result.filePaths[0] ?? null)
}

async function saveFile(options: SaveDialogOptions): Promise<string | null> {
  const window = parentWindow()
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
  return result.canceled || !result.filePath ? null : result.filePath
}

function ask(options: MessageBoxSyncOptions): number {
  const window = parentWindow()
  return window ? dialog.showMessageBoxSync(window, options) : dialog.showMessageBoxSync(options)
}

/** Native dialogs: the only way a path reaches the handlers in the desktop app. */
export function nativeDialogs(): Dialogs {
  return {
    openCsv: () => openFile({ title: 'Import a CSV file', properties: ['openFile'], filters: CSV_FILTERS }),
    saveCsv: (defaultName) => saveFile({ title: 'Export as CSV', defaultPath: defaultName, filters: [CSV_FILTERS[0]!] }),
  }
}

/** File ▸ New Workspace (a file to create) or Open Workspace (an existing file); null when cancelled. */
export function chooseWorkspace(kind: 'new' | 'open'): Promise<string | null> {
  return kind === 'new'
    ? saveFile({ title: 'New workspace', defaultPath: 'Untitled.db', buttonLabel: 'Create', filters: WORKSPACE_FILTERS })
    : openFile({ title: 'Open a workspace', properties: ['openFile'], filters: WORKSPACE_FILTERS })
}

/** Switching workspaces stops the runs in flight: asks first. */
export function confirmStopRuns(count: number): boolean {
  return ask({
    type: 'question',
    message: `${count === 1 ? 'A run is' : `${count} runs are`} training in this workspace.`,
    detail: 'Switching workspaces stops them at the next step; each stays resumable from its last checkpoint.',
    buttons: ['Stop and switch', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
  }) === 0
}

/** A problem the user should know of, with what to do. */
export function tell(title: string, message: string, detail?: string): void {
  ask({ type: 'warning', message: title, detail: detail ? `${message}\n\n${detail}` : message, buttons: ['OK'] })
}
