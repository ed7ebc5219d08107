import { app, protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { extname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The renderer is served from app://clipcast/, not file://: a standard, secure origin of its
 * own, so 'self' in the CSP means the app's files and nothing else on the disk.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'clipcast'
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`

const rendererRoot = fileURLToPath(new URL('../renderer/', import.meta.url))
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
}

/** Before `ready`: the scheme behaves like https (standard, secure, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** The file under `root` that an app:// URL names; null for another host or a path that leaves the folder. */
export function rendererFile(url: string, root: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  const path = resolve(join(root, decodeURIComponent(parsed.pathname)))
  const inside = relative(resolve(root), path)
  return inside === '' || inside.startsWith('..') || inside.startsWith(sep) ? null : path
}

/** After `ready`: answers app:// from out/renderer, with the CSP on every page. */
export function serveRenderer(contentSecurityPolicy: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFile(request.url, rendererRoot)
    if (file === null) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': contentSecurityPolicy },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}

/** The Vite dev server's URL, honoured only in an unpackaged build. */
export function devServerUrl(): URL | null {
  const value = process.env.ELECTRON_RENDERER_URL
  if (app.isPackaged || !value) return null
  try {
    return new URL(value)
  } catch {
    return null
  }
}

/** Whether a frame's URL is the app's own page: app://clipcast, or exactly the dev server's origin. */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true
  const dev = devServerUrl()
  return dev !== null && parsed.origin === dev.origin
}
