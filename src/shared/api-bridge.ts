import type { ApiEventName, ApiEvents, ApiMethod } from './api'
import type { ErrorData } from './errors'

/**
 * What crosses IPC and HTTP for one call. Errors travel as data inside the result, because
 * Electron's IPC and contextBridge keep only an Error's message, never its code or hint.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorData }

/** IPC channel names, shared by the main process and the preload bridge: one invoke channel per method. */
export const IPC_CALL_PREFIX = 'clipcast:call:'
export const IPC_EVENT_CHANNEL = 'clipcast:event'

export type ApiEventListener = <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void

/** `window.clipcast` in the desktop app: one call function per Api method, plus event subscription. */
export type ClipcastBridge = {
  [M in Exclude<ApiMethod, 'openDroppedFile'>]: (...args: unknown[]) => Promise<ApiResult<unknown>>
} & {
  onEvent(listener: (name: ApiEventName, payload: unknown) => void): () => void
  /**
   * A file dropped from the file manager, by the File itself: the preload finds its path
   * (webUtils.getPathForFile), so the page can name no path of its own choosing.
   */
  openDroppedFile(file: File): Promise<ApiResult<unknown>>
}
