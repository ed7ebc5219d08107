import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize, resolve, sep } from 'node:path'
import type { Api } from '../shared/api'
import { MAX_UPLOAD_BYTES } from '../shared/api-schemas'
import { contentTypeOf } from '../shared/content-types'
import { ClipcastError, type ErrorCode, type ErrorData } from '../shared/errors'
import { callApi } from '../core/api-call'
import type { DownloadSlots } from './downloads'
import type { EventHub } from './event-hub'
import { authorized, isAllowedHostHeader, sameSecret, TicketBook, TOKEN_COOKIE } from './request-guards'

export { parseCookies } from './request-guards'

/**
 * The browser host: the same Api the desktop app calls over IPC, served as
 * POST /api/<method> (a JSON array of arguments), events as Server-Sent Events on
 * GET /api/events, and the built renderer as static files. Every route requires the token:
 * from `?token=` once (then an HttpOnly, SameSite=Strict cookie), a Bearer header or
 * x-clipcast-token; the events stream also takes a single-use ticket from
 * POST /api/events/ticket. A Host header that does not name this server is refused (421).
 */

export interface HttpHostOptions {
  api: Api
  events: EventHub
  downloads: DownloadSlots
  token: string
  host: string
  port: number
  /** Folder of the built renderer (index.html and assets); null serves only the API. */
  rendererDir: string | null
  maxJsonBytes?: number
  maxUploadBytes?: number
}

export interface HttpHost {
  server: Server
  url: string
  /** The URL to open in a browser: carries the token once. */
  openUrl: string
  close(): Promise<void>
}

export { TOKEN_COOKIE } from './request-guards'
export const DEFAULT_MAX_JSON_BYTES = 1024 * 1024

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

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]'
}

export function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const maxJsonBytes = options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES
  const maxUploadBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES
  const rendererRoot = options.rendererDir === null ? null : resolve(options.rendererDir)

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, error instanceof ClipcastError ? error : new ClipcastError('INTERNAL', (error as Error).message))
      else response.destroy()
    })
  })

  const tickets = new TicketBook()

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://host.invalid')
    response.setHeader('x-content-type-options', 'nosniff')
    response.setHeader('referrer-policy', 'no-referrer')
    const port = (server.address() as AddressInfo | null)?.port ?? options.port
    if (!isAllowedHostHeader(request.headers.host, options.host, port)) {
      return sendError(response, new ClipcastError('BAD_REQUEST', `This Clipcast host does not answer to ${JSON.stringify(request.headers.host ?? '')}.`, {
        hint: 'Open the address that clipcast serve printed.',
        details: { status: 421 },
      }))
    }

    const queryToken = url.searchParams.get('token')
    if (queryToken !== null && request.method === 'GET' && !url.pathname.startsWith('/api/')) {
      if (!sameSecret(queryToken, options.token)) return sendUnauthorized(response, url.pathname)
      // trade the token in the address bar for a cookie, and drop it from the visible URL
      response.writeHead(303, {
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
        'cache-control': 'no-store',
      })
      response.end()
      return
    }
    const ticket = url.searchParams.get('ticket')
    const ticketed = url.pathname === '/api/events' && request.method === 'GET' && ticket !== null && tickets.redeem(ticket)
    if (!ticketed && !authorized(request, options.token)) return sendUnauthorized(response, url.pathname)

    if (url.pathname === '/api/events' && request.method === 'GET') return options.events.attach(response)
    if (url.pathname === '/api/events/ticket' && request.method === 'POST') return sendJson(response, 200, { value: tickets.issue() })
    if (url.pathname.startsWith('/api/download/') && request.method === 'GET') return sendDownload(response, url.pathname.slice('/api/download/'.length))
    if (url.pathname.startsWith('/api/')) {
      if (request.method !== 'POST') return sendError(response, new ClipcastError('BAD_REQUEST', `Use POST for ${url.pathname}.`), { allow: 'POST' })
      // method names are plain identifiers: nothing to decode, and a malformed escape is just an unknown method
      return handleCall(request, response, url.pathname.slice('/api/'.length), url)
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, new ClipcastError('BAD_REQUEST', `${request.method} is not supported here.`))
    return sendStatic(response, url.pathname)
  }

  async function handleCall(request: IncomingMessage, response: ServerResponse, method: string, url: URL): Promise<void> {
    let args: unknown
    const type = request.headers['content-type'] ?? ''
    if (method === 'uploadCsv') {
      // the file travels as the raw body: no base64 inflation, and the cap is the upload cap;
      // like JSON, this content type cannot be sent cross-site without a preflight
      if (!type.startsWith('application/octet-stream')) throw new ClipcastError('BAD_REQUEST', 'Send the file as application/octet-stream.')
      const body = await readBody(request, maxUploadBytes)
      args = [url.searchParams.get('name') ?? '', new Uint8Array(body.buffer, body.byteOffset, body.byteLength)]
    } else {
      // a JSON content type cannot be sent cross-site without a preflight, which we never answer
      if (!type.startsWith('application/json')) throw new ClipcastError('BAD_REQUEST', 'Send the arguments as application/json.')
      const body = await readBody(request, maxJsonBytes)
      try {
        args = body.length === 0 ? [] : JSON.parse(body.toString('utf8'))
      } catch {
        throw new ClipcastError('BAD_REQUEST', 'The request body is not valid JSON.', { hint: 'Send a JSON array of arguments.' })
      }
    }
    const result = await callApi(options.api, method, args)
    if (result.ok) sendJson(response, 200, { value: result.value })
    else sendError(response, result.error)
  }

  function sendDownload(response: ServerResponse, id: string): void {
    const slot = options.downloads.lookup(id)
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

  function sendStatic(response: ServerResponse, pathname: string): void {
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

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      const address = server.address() as AddressInfo
      const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address
      const url = `http://${hostForUrl}:${address.port}`
      resolvePromise({
        server,
        url,
        openUrl: `${url}/?token=${encodeURIComponent(options.token)}`,
        close: () =>
          new Promise<void>((done) => {
            options.events.close()
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0)
    if (declared > limit) {
      request.resume()
      reject(tooLarge(limit))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        request.removeAllListeners('data')
        request.resume()
        reject(tooLarge(limit))
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolvePromise(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

function tooLarge(limit: number): ClipcastError {
  return new ClipcastError('BAD_REQUEST', `The request is larger than ${Math.round(limit / 1024)} KiB.`, {
    hint: 'Large files are uploaded with the import button; API calls carry only small JSON.',
    details: { status: 413 },
  })
}

export function statusForError(code: ErrorCode, details?: Record<string, unknown>): number {
  if (typeof details?.status === 'number') return details.status
  if (code === 'UNAUTHORIZED') return 401
  if (code === 'PATH_NOT_ALLOWED') return 403
  if (code === 'UNKNOWN_METHOD' || code.endsWith('_NOT_FOUND')) return 404
  if (code === 'RUN_ALREADY_ACTIVE') return 409
  if (code === 'INTERNAL') return 500
  if (code === 'BAD_REQUEST') return 400
  return 422
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  response.end(text)
}

function sendError(response: ServerResponse, error: ClipcastError | ErrorData, headers: Record<string, string> = {}): void {
  const data: ErrorData = error instanceof ClipcastError ? error.toData() : error
  sendJson(response, statusForError(data.code, data.details), { error: data }, headers)
}

function sendUnauthorized(response: ServerResponse, pathname: string): void {
  const error = new ClipcastError('UNAUTHORIZED', 'This Clipcast host needs its access token.', {
    hint: 'Open the address that `clipcast serve` printed (it ends in ?token=…).',
  })
  if (pathname.startsWith('/api/')) return sendError(response, error)
  response.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" })
  response.end('<!doctype html><meta charset="utf-8"><title>Clipcast</title><p style="font:16px system-ui;margin:3em">This Clipcast host needs its access token. Open the address that <code>clipcast serve</code> printed (it ends in <code>?token=…</code>).</p>')
}
