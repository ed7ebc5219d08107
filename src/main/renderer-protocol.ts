import { app, protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { contentTypeOf } from '../shared/content-types'
import { APP_SCHEME, isAppUrl, rendererFile } from './app-url'

const rendererRoot = fileURLToPath(new URL('../renderer/', import.meta.url))

/** Before `ready`: the scheme behaves like https (standard, secure, fetch). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** After `ready`: answers app:// from out/renderer, with the CSP on every page. */
export function serveRenderer(contentSecurityPolicy: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFile(request.url, rendererRoot)
    if (file === null) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: { 'Content-Type': contentTypeOf(file), 'Content-Security-Policy': contentSecurityPolicy },
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

/** Whether a frame's URL is the app's own page (the IPC handlers answer no one else). */
export function isTrustedSender(url: string | undefined): boolean {
  return isAppUrl(url, devServerUrl())
}
