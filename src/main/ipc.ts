import { BrowserWindow, ipcMain } from 'electron'
import { API_METHODS, type Api, type ApiEventName, type ApiEvents, type ApiMethod } from '../shared/api'
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL } from '../shared/api-bridge'
import { ClipcastError } from '../shared/errors'
import { callApi } from '../core/api-call'
import { isTrustedSender } from './renderer-protocol'

/**
 * One ipcMain.handle per Api method (from API_METHODS), each calling the handlers of the
 * workspace open at that moment; arguments are validated by the handlers.
 */
export function registerApi(current: () => Api | null): () => void {
  const methods = Object.keys(API_METHODS) as ApiMethod[]
  for (const method of methods) {
    ipcMain.handle(`${IPC_CALL_PREFIX}${method}`, (event, ...args: unknown[]) => {
      // only our own page may call the API: a frame from anywhere else is refused
      if (!isTrustedSender(event.senderFrame?.url)) {
        return { ok: false, error: new ClipcastError('UNAUTHORIZED', 'Only the Clipcast window may call its API.').toData() }
      }
      const api = current()
      if (api === null) return { ok: false, error: new ClipcastError('INTERNAL', 'No workspace is open.', { hint: 'Open a workspace from the File menu.' }).toData() }
      return callApi(api, method, args)
    })
  }
  return () => methods.forEach((method) => ipcMain.removeHandler(`${IPC_CALL_PREFIX}${method}`))
}

/** Events go to every open window. */
export function broadcast<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload)
  }
}
