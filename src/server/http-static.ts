import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join, normalize, resolve, sep } from 'node:path'
import { contentTypeOf } from '../shared/content-types'
import { ClipcastError } from '../shared/errors'
import type { DownloadSlots } from './downloads'
import { sendError } from './http-responses'

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Vue and ECharts set inline style attributes; no inline script is ever allowed
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ')

/** A prepared export, by its download slot's id, as an attachment. */
export function sendDownload(response: ServerResponse, downloads: DownloadSlots, id: string): void {
  const slot = downloads.lookup(id)
  if (!slot || !existsSync(slot.path)) {
    return sendError(response, new ClipcastError('FILE_NOT_FOUND', 'This export is not available.', { hint: 'Export the run again.' }))
  }
  response.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-length': statSync(slot.path).size,
    'content-disposition': `attachment; filename="${slot.fileName.replace(/[^\w.-]/g, '_')}"`,
    'cache-control': 'no-store',
  })
  createReadStream(slot.path).pipe(response)
}

/** A file of the built renderer (null: not configured); unknown routes get index.html, the single-page app's. */
export function sendStatic(response: ServerResponse, rendererRoot: string | null, pathname: string): void {
  if (rendererRoot === null || !existsSync(join(rendererRoot, 'index.html'))) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
    response.end('The Clipcast renderer is not built. Run `npm run build:web` (or `npx electron-vite build`) and restart `clipcast serve`.\n')
    return
  }
  let relative: string
  try {
    relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '')
  } catch {
    return sendError(response, new ClipcastError('BAD_REQUEST', 'Malformed path.'))
  }
  let file = resolve(rendererRoot, relative === '' ? 'index.html' : relative)
  if (file !== rendererRoot && !file.startsWith(rendererRoot + sep)) return sendError(response, new ClipcastError('PATH_NOT_ALLOWED', 'Outside the app.'))
  // unknown routes are the single-page app's
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(rendererRoot, 'index.html')
  const type = contentTypeOf(file)
  const headers: Record<string, string | number> = { 'content-type': type, 'content-length': statSync(file).size }
  if (type.startsWith('text/html')) {
    headers['content-security-policy'] = CONTENT_SECURITY_POLICY
    headers['cache-control'] = 'no-store'
  } else headers['cache-control'] = 'public, max-age=3600'
  response.writeHead(200, headers)
  createReadStream(file).pipe(response)
}
