import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { API_METHODS, type ApiEventName, type ApiMethod } from '../shared/api'
import { IPC_CALL_PREFIX, IPC_EVENT_CHANNEL, type ApiResult, type ClipcastBridge } from '../shared/api-bridge'

/**
 * window.clipcast: one function per Api method, built from API_METHODS, each invoking the
 * method's own channel. Nothing else of Electron or Node reaches the
 * page (context isolation and the sandbox are on).
 */
const invoke = (method: ApiMethod, args: unknown[]) => ipcRenderer.invoke(`${IPC_CALL_PREFIX}${method}`, ...args) as Promise<ApiResult<unknown>>
const bridge = {} as Record<ApiMethod, (...args: unknown[]) => Promise<ApiResult<unknown>>>
for (const method of Object.keys(API_METHODS) as ApiMethod[]) bridge[method] = (...args: unknown[]) => invoke(method, args)

const exposed: ClipcastBridge = {
  ...bridge,
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, name: ApiEventName, payload: unknown): void => listener(name, payload)
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler)
    }
  },
  // a File the page made itself has no path ('' is refused by the host)
  openDroppedFile: (file: File) => invoke('openDroppedFile', [webUtils.getPathForFile(file)]),
}

contextBridge.exposeInMainWorld('clipcast', exposed)
