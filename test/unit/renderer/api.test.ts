import { afterEach, describe, expect, it, vi } from 'vitest'
import { api } from '../../../src/renderer/src/api'
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
})
