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
