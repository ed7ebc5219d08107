import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, onEvent } from '../../../src/renderer/src/api'
import { API_EVENTS } from '../../../src/shared/api'
import { ClipcastError } from '../../../src/shared/errors'

type Call = { url: string; init: RequestInit }
function stubFetch(status: number, body: unknown): Call[] {
  const calls: Call[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init })
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  })
  return calls
}

afterEach(() => vi.unstubAllGlobals())

describe('the renderer API module over HTTP (browser host)', () => {
  it('posts the arguments as a JSON array to /api/<method> and returns the value', async () => {
    const calls = stubFetch(200, { value: { runId: 5 } })
    await expect(api.startRun({ datasetId: 1, epochs: 2 })).resolves.toEqual({ runId: 5 })
    expect(calls[0]!.url).toBe('/api/startRun')
    expect(calls[0]!.init.method).toBe('POST')
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual([{ datasetId: 1, epochs: 2 }])
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/json')
  })

  it('turns an error answer into a ClipcastError with its code and hint', async () => {
    stubFetch(404, { error: { code: 'RUN_NOT_FOUND', message: 'There is no run 9.', hint: 'List the runs.' } })
    const error = await api.getRun(9).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClipcastError)
    expect(error).toMatchObject({ code: 'RUN_NOT_FOUND', hint: 'List the runs.' })
  })

  it('uploads a CSV as raw bytes with its name in the query', async () => {
    const calls = stubFetch(200, { value: { path: 'issued:1', name: 'a b.csv' } })
    await api.uploadCsv('a b.csv', new Uint8Array([104, 105]))
    expect(calls[0]!.url).toBe('/api/uploadCsv?name=a%20b.csv')
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBe('application/octet-stream')
  })

  it('reports a host that answers without data as an error, not a crash', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }))
    await expect(api.listRuns()).rejects.toMatchObject({ code: 'INTERNAL' })
  })

  it('reports a host that does not answer at all with a hint, not as a bug', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const error = (await api.listRuns().catch((e: unknown) => e)) as ClipcastError
    expect(error).toBeInstanceOf(ClipcastError)
    expect(error.hint).toContain('clipcast serve')
  })

  it('listens to every event of the contract on one EventSource and hands them on', () => {
    const sources: Array<{ url: string; handlers: Map<string, (event: { data: string }) => void> }> = []
    vi.stubGlobal('EventSource', class {
      handlers = new Map<string, (event: { data: string }) => void>()
      constructor(url: string) {
        sources.push({ url, handlers: this.handlers })
      }
      addEventListener(type: string, listener: (event: { data: string }) => void): void {
        this.handlers.set(type, listener)
      }
    })
    const received: unknown[] = []
    const off = onEvent((name, payload) => received.push([name, payload]))
    onEvent(() => {})
    expect(sources).toHaveLength(1)
    expect(sources[0]!.url).toBe('/api/events')
    expect([...sources[0]!.handlers.keys()].sort()).toEqual(Object.keys(API_EVENTS).sort())
    sources[0]!.handlers.get('run:status')!({ data: '{"runId":3,"status":"completed"}' })
    expect(received).toEqual([['run:status', { runId: 3, status: 'completed' }]])
    off()
  })
})
