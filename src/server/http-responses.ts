import type { IncomingMessage, ServerResponse } from 'node:http'
import { ClipcastError, type ErrorCode, type ErrorData } from '../shared/errors'

/** Reads a request body of at most `limit` bytes (413 past it, before reading when declared). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
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

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
  response.end(text)
}

export function sendError(response: ServerResponse, error: ClipcastError | ErrorData, headers: Record<string, string> = {}): void {
  const data: ErrorData = error instanceof ClipcastError ? error.toData() : error
  sendJson(response, statusForError(data.code, data.details), { error: data }, headers)
}

export function sendUnauthorized(response: ServerResponse, pathname: string): void {
  const error = new ClipcastError('UNAUTHORIZED', 'This Clipcast host needs its access token.', {
    hint: 'Open the address that `clipcast serve` printed (it ends in ?token=…).',
  })
  if (pathname.startsWith('/api/')) return sendError(response, error)
  response.writeHead(401, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" })
  response.end('<!doctype html><meta charset="utf-8"><title>Clipcast</title><p style="font:16px system-ui;margin:3em">This Clipcast host needs its access token. Open the address that <code>clipcast serve</code> printed (it ends in <code>?token=…</code>).</p>')
}
