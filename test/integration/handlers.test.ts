import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { callApi } from '../../src/core/api-call'
import { createApiHandlers, type HandlerContext } from '../../src/core/api-handlers'
import { PathGrants } from '../../src/core/path-grants'
import { openWorkspace, type Db } from '../../src/core/store/workspace'
import type { Api, ApiEventName } from '../../src/shared/api'
import type { ApiResult } from '../../src/shared/api-bridge'
import { MAX_UPLOAD_BYTES } from '../../src/shared/api-schemas'

let dir: string
let db: Db
let api: Api
let events: Array<{ name: ApiEventName; payload: unknown }>
let started: unknown[]

function context(overrides: Partial<HandlerContext> = {}): HandlerContext {
  const training: NonNullable<HandlerContext['training']> = {
    start: async (config) => {
      started.push(config)
      return { runId: 99 }
    },
    stop: async () => {},
    resume: async (id) => ({ runId: id }),
  }
  return {
    db,
    workspacePath: join(dir, 'w.db'),
    host: 'browser',
    version: '0.0.0-test',
    emit: (name, payload) => events.push({ name, payload }),
    grants: new PathGrants(true),
    uploadDir: join(dir, 'uploads'),
    training,
    ...overrides,
  }
}

const codeOf = (result: ApiResult<unknown>): string | undefined => (result.ok ? undefined : result.error.code)

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clipcast-handlers-'))
  db = openWorkspace(join(dir, 'w.db'))
  events = []
  started = []
  api = createApiHandlers(context())
})

afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the handlers refuse what does not fit the contract', () => {
  it('refuses a method the contract does not have', async () => {
    expect(codeOf(await callApi(api, 'dropAllTables', []))).toBe('UNKNOWN_METHOD')
    // inherited names are not methods either
    expect(codeOf(await callApi(api, 'constructor', []))).toBe('UNKNOWN_METHOD')
    expect(codeOf(await callApi(api, '__proto__', []))).toBe('UNKNOWN_METHOD')
  })

  it('refuses arguments that are not an array', async () => {
    expect(codeOf(await callApi(api, 'listRuns', { 0: 1 }))).toBe('BAD_REQUEST')
  })

  it('refuses wrong types, extra arguments and out-of-range numbers (reliability 28)', async () => {
    expect(codeOf(await callApi(api, 'getRun', ['1']))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'getRun', [1.5]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'getRun', [-3]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'listRuns', [1]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'startRun', [{ datasetId: 1, horizon: 0 }]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'startRun', [{ datasetId: 1, lr: Number.POSITIVE_INFINITY }]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'getSeries', [{ datasetId: 1, maxPoints: 10_000_000 }]))).toBe('BAD_REQUEST')
    expect(started).toEqual([])
  })

  it('refuses unknown keys in an object argument', async () => {
    expect(codeOf(await callApi(api, 'startRun', [{ datasetId: 1, epochz: 3 }]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'importDataset', [{ sample: true, shell: 'rm -rf /' }]))).toBe('BAD_REQUEST')
    expect(started).toEqual([])
  })

  it('refuses __proto__ and constructor keys at any depth, without polluting prototypes (reliability 28)', async () => {
    // refused by the key guard itself (its message names the key and where), not only by a strict schema further on
    const refusal = async (args: unknown) => {
      const result = await callApi(api, 'startRun', args)
      return result.ok ? 'accepted' : `${result.error.code}: ${result.error.message}`
    }
    const polluted = JSON.parse('[{"datasetId":1,"__proto__":{"polluted":true}}]') as unknown
    expect(await refusal(polluted)).toMatch(/^BAD_REQUEST: The key "__proto__" is not allowed/)
    const deep = JSON.parse('[{"datasetId":1,"targets":[{"constructor":{"prototype":{"polluted":true}}}]}]') as unknown
    expect(await refusal(deep)).toMatch(/^BAD_REQUEST: The key "constructor" is not allowed \(at \$\.0\.targets\.0\)/)
    expect(started).toEqual([])
  })

  it('refuses an upload larger than the cap and a name with folders', async () => {
    const huge = { byteLength: MAX_UPLOAD_BYTES + 1 }
    const big = Object.setPrototypeOf(huge, Uint8Array.prototype) as Uint8Array
    expect(codeOf(await callApi(api, 'uploadCsv', ['a.csv', big]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'uploadCsv', ['../../etc/passwd.csv', new Uint8Array([1])]))).toBe('BAD_REQUEST')
  })

  it('refuses a huge argument list, however it is spread (reliability 28)', async () => {
    const targets = Array.from({ length: 50_000 }, (_, i) => `t${i}`)
    expect(codeOf(await callApi(api, 'startRun', [{ datasetId: 1, targets }]))).toBe('BAD_REQUEST')
    expect(codeOf(await callApi(api, 'importDataset', [{ sample: true, name: 'n'.repeat(100_000) }]))).toBe('BAD_REQUEST')
    expect(started).toEqual([])
  })

  it('refuses a deeply nested argument', async () => {
    let nested: unknown = 1
    for (let i = 0; i < 100; i++) nested = { a: nested }
    expect(codeOf(await callApi(api, 'compareRuns', [[1, 2], nested]))).toBe('BAD_REQUEST')
  })

  it('refuses a path that no dialog or upload issued (reliability 28)', async () => {
    const csv = join(dir, 'secret.csv')
    writeFileSync(csv, 'time,a\n2024-01-01,1\n')
    expect(codeOf(await callApi(api, 'importDataset', [{ path: csv }]))).toBe('PATH_NOT_ALLOWED')
    expect(codeOf(await callApi(api, 'exportRun', [{ runId: 1, what: 'forecast', path: join(dir, 'out.csv') }]))).toBe('PATH_NOT_ALLOWED')
  })

  it('refuses to write where only reading was granted', async () => {
    const issued = (await api.uploadCsv('data.csv', new TextEncoder().encode('time,a\n'))).path
    expect(codeOf(await callApi(api, 'exportRun', [{ runId: 1, what: 'test', path: issued }]))).toBe('PATH_NOT_ALLOWED')
  })

  it('refuses a non-CSV upload politely', async () => {
    const result = await callApi(api, 'uploadCsv', ['holiday.png', new Uint8Array([137, 80, 78, 71])])
    expect(codeOf(result)).toBe('BAD_REQUEST')
    expect(result.ok ? '' : result.error.hint).toBeTruthy()
  })

  it('has no native dialogs in the browser host', async () => {
    expect(codeOf(await callApi(api, 'chooseImportFile', []))).toBe('BAD_REQUEST')
  })
})

describe('the handlers call the core services', () => {
  it('imports an uploaded CSV through its issued handle and reports progress', async () => {
    const rows = ['time,temp,wind', ...Array.from({ length: 50 }, (_, i) => `2024-01-01T${String(i % 24).padStart(2, '0')}:00:00Z`.replace('01T', `${String(1 + Math.floor(i / 24)).padStart(2, '0')}T`) + `,${i},${i * 2}`)]
    const file = await api.uploadCsv('weather.csv', new TextEncoder().encode(rows.join('\n') + '\n'))
    expect(file.path.startsWith('issued:')).toBe(true)
    const dataset = await api.importDataset({ path: file.path })
    expect(dataset.rows).toBe(50)
    expect(dataset.sourceName).toBe('weather.csv')
    expect(events.some((e) => e.name === 'dataset:imported')).toBe(true)
    expect((await api.listDatasets()).map((d) => d.id)).toEqual([dataset.id])

    const series = await api.getSeries({ datasetId: dataset.id, columns: ['temp'], maxPoints: 10 })
    expect(series.time.length).toBeLessThanOrEqual(10)
    expect(series.columns.temp).toContain(49)
    expect(series.columns.temp).toContain(0)
    const last = await api.getSeries({ datasetId: dataset.id, last: 5 })
    expect(last.columns.temp).toEqual([45, 46, 47, 48, 49])
  })

  it('previews bytes imported before as the dataset they are, and importing them returns it with ALREADY_IMPORTED', async () => {
    const bytes = new TextEncoder().encode('time;a\n2024-01-01;1,5\n2024-01-02;2,5\n')
    const first = await api.uploadCsv('readings.csv', bytes)
    expect((await api.previewImport({ path: first.path })).alreadyImported).toBeUndefined()
    const dataset = await api.importDataset({ path: first.path, name: 'readings' })
    const again = await api.uploadCsv('readings-copy.csv', bytes)
    const preview = await api.previewImport({ path: again.path, decimal: '.' })
    expect(preview.alreadyImported).toEqual({ id: dataset.id, name: 'readings' })
    const returned = await api.importDataset({ path: again.path, decimal: '.' })
    expect(returned.id).toBe(dataset.id)
    expect(returned.warnings.map((w) => w.code)).toContain('ALREADY_IMPORTED')
    await api.deleteDataset(dataset.id)
    expect((await api.previewImport({ path: again.path })).alreadyImported).toBeUndefined()
  })

  it('passes a valid run config to the training service with the schema defaults', async () => {
    await expect(api.startRun({ datasetId: 1, epochs: 2 })).resolves.toEqual({ runId: 99 })
    expect(started).toHaveLength(1)
    expect(started[0]).toMatchObject({ datasetId: 1, epochs: 2, horizon: 24, clip: 'norm' })
  })

  it('issues a download slot for an export in the browser host', async () => {
    const slotPath = join(dir, 'slot.csv')
    const handlers = createApiHandlers(context({ downloads: { allocate: () => ({ path: slotPath, url: '/api/download/x' }) } }))
    const target = await handlers.chooseExportFile({ runId: 3, what: 'forecast' })
    expect(target?.downloadUrl).toBe('/api/download/x')
    expect(target?.path).not.toContain(dir)
  })

  it('uses the native dialog of the desktop host and accepts the chosen path', async () => {
    const chosen = join(dir, 'chosen.csv')
    writeFileSync(chosen, readFileSync(join(import.meta.dirname, '../../resources/sample-seattle-weather-hourly.csv')))
    const handlers = createApiHandlers(context({ host: 'electron', grants: new PathGrants(false), dialogs: { openCsv: async () => chosen, saveCsv: async () => null } }))
    const file = await handlers.chooseImportFile()
    expect(file?.path).toBe(chosen)
    const dataset = await handlers.importDataset({ path: chosen })
    expect(dataset.rows).toBeGreaterThan(1000)
    expect(await handlers.chooseExportFile({ runId: 1, what: 'test' })).toBeNull()
  })

  it('answers unknown runs and datasets with their not-found codes', async () => {
    expect(codeOf(await callApi(api, 'getRun', [12345]))).toBe('RUN_NOT_FOUND')
    expect(codeOf(await callApi(api, 'getSeries', [{ datasetId: 777 }]))).toBe('DATASET_NOT_FOUND')
  })
})

describe('getBackends', () => {
  it('answers what clipcast backends --json prints, as a tensor job (in the host, or the desktop\'s compute process)', async () => {
    const { backends } = await api.getBackends()
    expect(backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'])
    expect(backends.at(-1)).toEqual({ name: 'cpu', available: true, reason: null, device: null, threads: 1 })
    const jobs: unknown[] = []
    const delegated = createApiHandlers(context({ runTensorJob: async (job) => (jobs.push(job), [{ name: 'cpu', available: true, reason: null, device: null, threads: 1 }]) }))
    expect(await callApi(delegated, 'getBackends', [])).toEqual({ ok: true, value: { backends: [{ name: 'cpu', available: true, reason: null, device: null, threads: 1 }] } })
    expect(jobs).toEqual([{ kind: 'backends' }])
  })
})
