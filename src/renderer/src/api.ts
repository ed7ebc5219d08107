import { API_EVENTS, API_METHODS, type Api, type ApiEventName, type ApiMethod, type IssuedFile } from '../../shared/api'
import type { ApiEventListener, ApiResult, ClipcastBridge } from '../../shared/api-bridge'
import { ClipcastError, fromErrorData, type ErrorData } from '../../shared/errors'

/**
 * The renderer's only door to a host. In the desktop app it calls the preload bridge
 * (`window.clipcast`); served by `clipcast serve` it calls the same Api over HTTP and listens
 * to Server-Sent Events. Nothing else in the renderer calls fetch or IPC.
 */

/** The few browser globals this module touches, typed here so it also typechecks (and unit-tests) under Node. */
interface BrowserGlobals {
  clipcast?: ClipcastBridge
  EventSource: new (url: string) => { addEventListener(type: string, listener: (event: { data: string }) => void): void }
  document: {
    createElement(tag: 'a'): { href: string; download: string; click(): void; remove(): void }
    body: { appendChild(node: unknown): void }
  }
}
const browser = globalThis as unknown as BrowserGlobals

export const isDesktop = browser.clipcast !== undefined

function unwrap<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value
  throw fromErrorData(result.error)
}

function desktopApi(): Api {
  const bridge = browser.clipcast!
  const api = {} as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) {
    api[method] = async (...args: unknown[]) => unwrap(await (bridge[method] as (...a: unknown[]) => Promise<ApiResult<unknown>>)(...args))
  }
  return api as unknown as Api
}

async function post(method: ApiMethod, args: unknown[]): Promise<unknown> {
  let response: Response
  try {
    response = await send(method, args)
  } catch (error) {
    // fetch rejects only when no answer came at all: the host is gone, not a bug here
    throw new ClipcastError('INTERNAL', `Could not reach the Clipcast host: ${(error as Error).message}.`, { hint: 'Is `clipcast serve` still running? Start it again and reload the page.' })
  }
  let body: { value?: unknown; error?: ErrorData }
  try {
    body = (await response.json()) as typeof body
  } catch {
    throw new ClipcastError('INTERNAL', `The host answered ${response.status} without data.`, { hint: 'Is `clipcast serve` still running?' })
  }
  if (body.error) throw fromErrorData(body.error)
  return body.value
}

function send(method: ApiMethod, args: unknown[]): Promise<Response> {
  if (method === 'uploadCsv') {
    const [name, bytes] = args as [string, Uint8Array]
    return fetch(`/api/uploadCsv?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      // an ArrayBuffer is a body every fetch accepts; copy only when the view is a slice of a larger one
      body: (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer,
    })
  }
  return fetch(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) })
}

function httpApi(): Api {
  const api = {} as Record<ApiMethod, (...args: unknown[]) => Promise<unknown>>
  for (const method of Object.keys(API_METHODS) as ApiMethod[]) api[method] = (...args: unknown[]) => post(method, args)
  return api as unknown as Api
}

const listeners = new Set<ApiEventListener>()
let subscribed = false

function dispatch(name: ApiEventName, payload: unknown): void {
  for (const listener of listeners) listener(name, payload as never)
}

function subscribeOnce(): void {
  if (subscribed) return
  subscribed = true
  if (isDesktop) {
    browser.clipcast!.onEvent(dispatch)
    return
  }
  const source = new browser.EventSource('/api/events')
  for (const name of Object.keys(API_EVENTS) as ApiEventName[]) {
    source.addEventListener(name, (event) => dispatch(name, JSON.parse(event.data)))
  }
}

/** Subscribes to host events; returns the unsubscribe function. */
export function onEvent(listener: ApiEventListener): () => void {
  subscribeOnce()
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Desktop: a file dropped from the file manager, granted by its path so the host streams it; null in the browser (upload it). */
export function openDroppedFile(file: File): Promise<IssuedFile> | null {
  const bridge = browser.clipcast
  return bridge ? bridge.openDroppedFile(file).then((result) => unwrap(result) as IssuedFile) : null
}

/** Browser host: fetches a prepared export through the browser's own download. */
export function downloadFile(url: string, fileName: string): void {
  const link = browser.document.createElement('a')
  link.href = url
  link.download = fileName
  browser.document.body.appendChild(link)
  link.click()
  link.remove()
}

export const api: Api = isDesktop ? desktopApi() : httpApi()
