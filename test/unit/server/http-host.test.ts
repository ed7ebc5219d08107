import { describe, expect, it } from 'vitest'
import { isLoopbackHost, parseCookies, statusForError } from '../../../src/server/http-host'

describe('browser host helpers', () => {
  it('knows the loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true)
    expect(isLoopbackHost('0.0.0.0')).toBe(false)
    expect(isLoopbackHost('192.168.1.4')).toBe(false)
  })

  it('parses cookies into a prototype-free record', () => {
    const cookies = parseCookies('a=1; clipcast_token=abc%20d; __proto__=x; broken=%E0')
    expect(cookies.clipcast_token).toBe('abc d')
    expect(cookies.a).toBe('1')
    expect(Object.getPrototypeOf(cookies)).toBeNull()
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    expect(cookies.broken).toBeUndefined()
  })

  it('maps error codes to HTTP statuses', () => {
    expect(statusForError('UNAUTHORIZED')).toBe(401)
    expect(statusForError('PATH_NOT_ALLOWED')).toBe(403)
    expect(statusForError('UNKNOWN_METHOD')).toBe(404)
    expect(statusForError('RUN_NOT_FOUND')).toBe(404)
    expect(statusForError('BAD_REQUEST')).toBe(400)
    expect(statusForError('BAD_REQUEST', { status: 413 })).toBe(413)
    expect(statusForError('CSV_RAGGED_ROW')).toBe(422)
    expect(statusForError('INTERNAL')).toBe(500)
  })
})
