import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { Api } from '../shared/api'
import { MAX_UPLOAD_BYTES } from '../shared/api-schemas'
import { ClipcastError } from '../shared/errors'
import { callApi } from '../core/api-call'
import type { DownloadSlots } from './downloads'
import type { EventHub } from './event-hub'
import { readBody, sendError, sendJson, sendUnauthorized } from './http-responses'
import { sendDownload, sendStatic } from './http-static'
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

export { statusForError } from './http-responses'
export const DEFAULT_MAX_JSON_BYTES = 1024 * 1024

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]'
}

/** What every request of one server needs. */
interface Served {
  options: HttpHostOptions
  server: Server
  tickets: TicketBook
  rendererRoot: string | null
  maxJsonBytes: number
  maxUploadBytes: number
}

export function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const server = createServer((request, response) => {
    handle(served, request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, error instanceof ClipcastError ? error : new ClipcastError('INTERNAL', (error as Error).message))
      else response.destroy()
    })
  })
  const served: Served = {
    options,
    server,
    tickets: new TicketBook(),
    rendererRoot: options.rendererDir === null ? null : resolve(options.rendererDir),
    maxJsonBytes: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
    maxUploadBytes: options.maxUploadBytes ?? MAX_UPLOAD_BYTES,
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

/** The Host header and the token first, then the route. */
async function handle(served: Served, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const { options, server, tickets } = served
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
  return route(served, request, response, url)
}

function route(served: Served, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> | void {
  const { options, tickets } = served
  if (url.pathname === '/api/events' && request.method === 'GET') return options.events.attach(response)
  if (url.pathname === '/api/events/ticket' && request.method === 'POST') return sendJson(response, 200, { value: tickets.issue() })
  if (url.pathname.startsWith('/api/download/') && request.method === 'GET') return sendDownload(response, options.downloads, url.pathname.slice('/api/download/'.length))
  if (url.pathname.startsWith('/api/')) {
    if (request.method !== 'POST') return sendError(response, new ClipcastError('BAD_REQUEST', `Use POST for ${url.pathname}.`), { allow: 'POST' })
    // method names are plain identifiers: nothing to decode, and a malformed escape is just an unknown method
    return handleCall(served, request, response, url.pathname.slice('/api/'.length), url)
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, new ClipcastError('BAD_REQUEST', `${request.method} is not supported here.`))
  return sendStatic(response, served.rendererRoot, url.pathname)
}

async function handleCall(served: Served, request: IncomingMessage, response: ServerResponse, method: string, url: URL): Promise<void> {
  let args: unknown
  const type = request.headers['content-type'] ?? ''
  if (method === 'uploadCsv') {
    // the file travels as the raw body: no base64 inflation, and the cap is the upload cap;
    // like JSON, this content type cannot be sent cross-site without a preflight
    if (!type.startsWith('application/octet-stream')) throw new ClipcastError('BAD_REQUEST', 'Send the file as application/octet-stream.')
    const body = await readBody(request, served.maxUploadBytes)
    args = [url.searchParams.get('name') ?? '', new Uint8Array(body.buffer, body.byteOffset, body.byteLength)]
  } else {
    // a JSON content type cannot be sent cross-site without a preflight, which we never answer
    if (!type.startsWith('application/json')) throw new ClipcastError('BAD_REQUEST', 'Send the arguments as application/json.')
    const body = await readBody(request, served.maxJsonBytes)
    try {
      args = body.length === 0 ? [] : JSON.parse(body.toString('utf8'))
    } catch {
      throw new ClipcastError('BAD_REQUEST', 'The request body is not valid JSON.', { hint: 'Send a JSON array of arguments.' })
    }
  }
  const result = await callApi(served.options.api, method, args)
  if (result.ok) sendJson(response, 200, { value: result.value })
  else sendError(response, result.error)
}
