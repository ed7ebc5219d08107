import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

/**
 * Whether a request's Host header names this server. A DNS-rebinding page reaches a loopback
 * port under its own domain name (`evil.example:5174` resolving to 127.0.0.1), so only an IP
 * literal, `localhost`, or the name the server was told to listen on are accepted, each with the
 * bound port. Anything else gets 421 Misdirected Request.
 */
export function isAllowedHostHeader(header: string | undefined, boundHost: string, port: number): boolean {
  if (header === undefined || header.length === 0 || header.length > 300) return false
  let parsed: URL
  try {
    parsed = new URL(`http://${header}`)
  } catch {
    return false
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.pathname !== '/') return false
  if (Number(parsed.port || 80) !== port) return false
  const name = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return isIP(name) !== 0 || name === 'localhost' || name === boundHost.replace(/^\[|\]$/g, '').toLowerCase()
}

/** How long an events ticket may wait to be used: long enough for a page to open its stream. */
export const TICKET_TTL_MS = 30_000

/**
 * Single-use, short-lived tickets for the events stream. EventSource cannot send headers, and a
 * token in a query string lands in logs and history; a ticket bought with the token (in a
 * header) is worthless once used or a few seconds old.
 */
export class TicketBook {
  private readonly tickets = new Map<string, number>()

  constructor(private readonly ttlMs = TICKET_TTL_MS, private readonly now = () => Date.now()) {}

  issue(): { ticket: string; expiresInMs: number } {
    this.prune()
    const ticket = randomBytes(24).toString('base64url')
    this.tickets.set(ticket, this.now() + this.ttlMs)
    return { ticket, expiresInMs: this.ttlMs }
  }

  /** True once for a ticket this book issued that has not expired; the ticket is spent. */
  redeem(ticket: string): boolean {
    const expires = this.tickets.get(ticket)
    this.tickets.delete(ticket)
    return expires !== undefined && expires > this.now()
  }

  private prune(): void {
    const now = this.now()
    for (const [ticket, expires] of this.tickets) if (expires <= now) this.tickets.delete(ticket)
  }
}

export const TOKEN_COOKIE = 'clipcast_token'

/** The token in a Bearer header, the x-clipcast-token header or the cookie that `?token=` set. */
export function authorized(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization
  if (typeof header === 'string' && header.startsWith('Bearer ') && sameSecret(header.slice(7), token)) return true
  const custom = request.headers['x-clipcast-token']
  if (typeof custom === 'string' && sameSecret(custom, token)) return true
  const cookie = parseCookies(request.headers.cookie)[TOKEN_COOKIE]
  return cookie !== undefined && sameSecret(cookie, token)
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = Object.create(null) as Record<string, string>
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    try {
      cookies[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim())
    } catch {
      // a malformed cookie is simply not ours
    }
  }
  return cookies
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
