import { isAbsolute, join, relative, resolve } from 'node:path'

/**
 * The renderer is served from app://clipcast/, not file://: a standard, secure origin of its
 * own, so 'self' in the CSP means the app's files and nothing else on the disk. Pure: the
 * protocol handler and the IPC sender check in renderer-protocol.ts use these.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'clipcast'
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** The file under `root` that an app:// URL names; null for another host, a bad escape or a path that leaves the folder. */
export function rendererFile(url: string, root: string): string | null {
  const parsed = parse(url)
  if (parsed === null || parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  const path = resolve(join(root, pathname))
  const inside = relative(resolve(root), path)
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? null : path
}

/** Whether a frame's URL is the app's own page: app://clipcast, or exactly the dev server's origin (unpackaged only). */
export function isAppUrl(url: string | undefined, devServer: URL | null): boolean {
  const parsed = url ? parse(url) : null
  if (parsed === null) return false
  if (parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST) return true
  return devServer !== null && parsed.origin === devServer.origin
}
