import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Emit, HandlerContext } from '../../src/core/api-handlers'
import { startBrowserHost, type BrowserHost } from '../../src/server/browser-host'

const TOKEN = 'test-token-123456'
let dir: string
let host: BrowserHost
let emitFromTraining: Emit

function fakeTraining(_path: string, emit: Emit): NonNullable<HandlerContext['training']> {
  emitFromTraining = emit
  return {
    start: async () => {
      // what the real manager does first: announce the queued run
      setTimeout(() => emit('run:status', { runId: 7, status: 'queued' }), 20)
      return { runId: 7 }
    },
    stop: async () => {},
    resume: async (id) => ({ runId: id }),
  }
}

async function call(method: string, args: unknown, headers: Record<string, string> = { 'x-clipcast-token': TOKEN }): Promise<{ status: number; body: { value?: unknown; error?: { code: string } } }> {
  const response = await fetch(`${host.url}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof args === 'string' ? args : JSON.stringify(args) })
  return { status: response.status, body: (await response.json()) as { value?: unknown; error?: { code: string } } }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clipcast-server-'))
  const renderer = join(dir, 'renderer')
  mkdirSync(renderer)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Clipcast</title>')
  host = await startBrowserHost({ dbPath: join(dir, 'w.db'), host: '127.0.0.1', port: 0, token: TOKEN, rendererDir: renderer, version: '0.0.0-test', createTraining: fakeTraining })
})

afterEach(async () => {
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('clipcast serve', () => {
  it('refuses a Host header that does not name it with 421, against DNS rebinding (reliability 30)', async () => {
    const port = new URL(host.url).port
    const statusFor = (hostHeader: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${host.url}/api/listDatasets`, { method: 'POST', headers: { host: hostHeader, 'x-clipcast-token': TOKEN, 'content-type': 'application/json' } }, (response) => {
          response.resume()
          resolve(response.statusCode ?? 0)
        })
        req.on('error', reject)
        req.end('[]')
      })
    expect(await statusFor(`evil.example:${port}`)).toBe(421)
    expect(await statusFor(`127.0.0.1.evil.example:${port}`)).toBe(421)
    expect(await statusFor(`127.0.0.1:${Number(port) + 1}`)).toBe(421)
    expect(await statusFor(`127.0.0.1:${port}`)).toBe(200)
    expect(await statusFor(`localhost:${port}`)).toBe(200)
  })

  it('opens the events stream with a single-use ticket, never with the token in the query (reliability 30)', async () => {
    const openEvents = (query: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${host.url}/api/events?${query}`, (response) => {
          resolve(response.statusCode ?? 0)
          req.destroy()
        })
        req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)))
        req.end()
      })
    expect(await openEvents(`token=${TOKEN}`)).toBe(401)
    const bought = await fetch(`${host.url}/api/events/ticket`, { method: 'POST', headers: { 'x-clipcast-token': TOKEN } })
    const { value } = (await bought.json()) as { value: { ticket: string; expiresInMs: number } }
    expect(value.expiresInMs).toBeLessThanOrEqual(60_000)
    expect(await openEvents(`ticket=${value.ticket}`)).toBe(200)
    expect(await openEvents(`ticket=${value.ticket}`)).toBe(401)
    expect((await fetch(`${host.url}/api/events/ticket`, { method: 'POST' })).status).toBe(401)
  })

  it('refuses upload names with a colon, a folder or a control character (reliability 28)', async () => {
    for (const name of ['C:data.csv', 'data.csv:hidden', 'a%2Fb.csv', 'tab%09.csv', '..']) {
      const response = await fetch(`${host.url}/api/uploadCsv?name=${name}`, { method: 'POST', headers: { 'x-clipcast-token': TOKEN, 'content-type': 'application/octet-stream' }, body: 'time,a\n2024-01-01,1\n' })
      expect([name, response.status]).toEqual([name, 400])
    }
  })

  it('requires the token for the API, the events and the page (reliability 30)', async () => {
    expect((await call('listDatasets', [], {})).status).toBe(401)
    expect((await call('listDatasets', [], {})).body.error?.code).toBe('UNAUTHORIZED')
    expect((await call('listDatasets', [], { 'x-clipcast-token': 'wrong-token-123456' })).status).toBe(401)
    expect((await fetch(`${host.url}/api/events`)).status).toBe(401)
    expect((await fetch(`${host.url}/`)).status).toBe(401)
    expect((await call('listDatasets', [], { authorization: `Bearer ${TOKEN}` })).status).toBe(200)
  })

  it('trades the token in the address for an HttpOnly cookie and serves the page with a CSP', async () => {
    const first = await fetch(`${host.url}/?token=${TOKEN}`, { redirect: 'manual' })
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe('/')
    const cookie = first.headers.get('set-cookie') ?? ''
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    const page = await fetch(`${host.url}/`, { headers: { cookie: cookie.split(';')[0]! } })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('answers calls with {value} and errors with {error} and a 4xx status', async () => {
    expect(await call('listDatasets', [])).toEqual({ status: 200, body: { value: [] } })
    const unknown = await call('formatDisk', [])
    expect(unknown.status).toBe(404)
    expect(unknown.body.error?.code).toBe('UNKNOWN_METHOD')
    const malformed = await call('%E0%A4%A', [])
    expect(malformed.status).toBe(404)
    expect(malformed.body.error?.code).toBe('UNKNOWN_METHOD')
    expect((await call('__proto__', [])).body.error?.code).toBe('UNKNOWN_METHOD')
    const bad = await call('getRun', ['one'])
    expect(bad.status).toBe(400)
    expect(bad.body.error?.code).toBe('BAD_REQUEST')
    const broken = await call('getRun', '[1,')
    expect(broken.body.error?.code).toBe('BAD_REQUEST')
    const proto = await call('startRun', '[{"datasetId":1,"__proto__":{"x":1}}]')
    expect(proto.body.error?.code).toBe('BAD_REQUEST')
  })

  it('refuses a JSON body over the cap without reading it all', async () => {
    const huge = JSON.stringify([{ datasetId: 1, name: 'x'.repeat(2 * 1024 * 1024) }])
    const result = await call('startRun', huge)
    expect(result.status).toBe(413)
    expect(result.body.error?.code).toBe('BAD_REQUEST')
  })

  it('refuses an upload whose declared size is over the cap before reading any of it', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${host.url}/api/uploadCsv?name=big.csv`, {
        method: 'POST',
        headers: { 'x-clipcast-token': TOKEN, 'content-type': 'application/octet-stream', 'content-length': String(300 * 1024 * 1024) },
      }, (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)))
      req.flushHeaders()
    })
    expect(status).toBe(413)
  })

  it('takes the token from the query only for the page, never for a call', async () => {
    const response = await fetch(`${host.url}/api/listDatasets?token=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })
    expect(response.status).toBe(401)
  })

  it('refuses a non-JSON content type for calls (no cross-site simple requests)', async () => {
    const response = await fetch(`${host.url}/api/listDatasets`, { method: 'POST', headers: { 'x-clipcast-token': TOKEN, 'content-type': 'text/plain' }, body: '[]' })
    expect(response.status).toBe(400)
  })

  it('delivers a run:status event over Server-Sent Events', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${host.url}/api/events`, { headers: { 'x-clipcast-token': TOKEN } }, (response) => {
        expect(response.headers['content-type']).toContain('text/event-stream')
        let text = ''
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8')
          if (text.includes('event: run:status')) {
            req.destroy()
            resolve(text)
          }
        })
      })
      req.on('error', (error) => (error.message.includes('socket hang up') ? undefined : reject(error)))
      req.end()
    })
    // wait until the stream is attached before starting the run
    while (host.events.size === 0) await new Promise((r) => setTimeout(r, 10))
    expect((await call('startRun', [{ datasetId: 1, epochs: 2 }])).body.value).toEqual({ runId: 7 })
    const text = await received
    expect(text).toContain('data: {"runId":7,"status":"queued"}')
    expect(emitFromTraining).toBeTypeOf('function')
  })

  it('uploads a CSV as the raw body and hands back an opaque handle', async () => {
    const response = await fetch(`${host.url}/api/uploadCsv?name=data.csv`, { method: 'POST', headers: { 'x-clipcast-token': TOKEN, 'content-type': 'application/octet-stream' }, body: 'time,a\n2024-01-01,1\n' })
    const body = (await response.json()) as { value: { path: string; name: string } }
    expect(body.value.name).toBe('data.csv')
    expect(body.value.path).toMatch(/^issued:/)
    expect(body.value.path).not.toContain(dir)
  })

  it('does not serve files outside the renderer folder', async () => {
    writeFileSync(join(dir, 'secret.txt'), 'secret')
    const response = await fetch(`${host.url}/..%2fsecret.txt`, { headers: { 'x-clipcast-token': TOKEN } })
    expect(await response.text()).not.toContain('secret')
  })
})
