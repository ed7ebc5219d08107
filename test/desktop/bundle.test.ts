import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { findBackup } from '../../src/core/store/backup'
import { writeHourlyCsv } from '../helpers/datasets'
import { webgpuAdapter, webgpuSkipReason } from '../helpers/webgpu'
import { alive, buildBundle, killDesktops, ROOT, startDesktop, type DesktopApp, type HarnessEvent } from './harness'

// The desktop app as users run it: the electron-vite bundle, its main process under Node with
// the `electron` stand-in, training in utility processes (child processes here).

function bundleFiles(): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)]))
  return ['out/main', 'out/preload'].flatMap((folder) => walk(join(ROOT, folder))).filter((file) => /\.(c|m)?js$/.test(file))
}

type Status = { runId: number; status: string; error?: { code: string } }
const TINY = { horizon: 2, lookback: 8, filters: 4, batch: 32, backend: 'wasm', patience: 0 } as const
const ended = (runId: number) => (p: Status) => p.runId === runId && !['queued', 'running'].includes(p.status)

async function processesGone(pids: Array<number | undefined>): Promise<boolean> {
  for (let attempt = 0; attempt < 100 && pids.some(alive); attempt++) await new Promise((r) => setTimeout(r, 100))
  return !pids.some(alive)
}

beforeAll(() => buildBundle(), 120_000)

describe('the built bundle', () => {
  it('parses: every file of out/main and out/preload passes node --check', () => {
    const files = bundleFiles()
    expect(files.length).toBeGreaterThan(3)
    for (const file of files) execFileSync(process.execPath, ['--check', file], { stdio: 'pipe' })
  })

  it('ships every file it names relative to itself (new URL(…, import.meta.url), bundled module paths)', () => {
    const references = bundleFiles().flatMap((file) => {
      const code = readFileSync(file, 'utf8')
      const urls = [...code.matchAll(/new URL\(\s*["'`](\.{1,2}\/[^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => m[1]!)
      const modulePaths = [...code.matchAll(/import\.meta\.dirname,\s*["']([^"']+)["']\)/g)].map((m) => m[1]!)
      return [...urls, ...modulePaths].map((target) => ({ file, target: resolve(dirname(file), target) }))
    })
    expect(references.length).toBeGreaterThan(2)
    expect(references.filter((r) => !existsSync(r.target))).toEqual([])
  })
})

describe('the desktop app on its bundle', () => {
  let app: DesktopApp
  let datasetId: number

  beforeAll(async () => {
    // tiny layers split across the wasm partner thread too, as large ones do by default
    app = startDesktop({ env: { CLIPCAST_WASM_PARALLEL_MIN_WORK: '0' } })
    await app.ready
  })
  afterAll(() => killDesktops())

  it('runs the renderer isolated and sandboxed, under a CSP, with no permission granted and no window.open (reliability 27, 29)', async () => {
    const state = await app.command<{ windows: Array<{ webPreferences: Record<string, unknown>; openHandler: unknown }> }>('state')
    const [window] = state.windows
    expect(window!.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })
    expect(window!.openHandler).toEqual({ action: 'deny' })
    expect(await app.command('permission', { permission: 'notifications' })).toBe(false)
    expect(await app.command('permission', { permission: 'media' })).toBe(false)
  })

  it('serves the renderer from app://clipcast under its CSP, and nothing outside out/renderer', async () => {
    const page = await app.command<{ status: number; headers: Record<string, string>; body: string }>('fetch', { url: 'app://clipcast/index.html' })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/text\/html/)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(Buffer.from(page.body, 'base64').toString()).toContain('<div id="app">')
    for (const url of ['app://clipcast/..%2f..%2fpackage.json', 'app://clipcast/..%5c..%5cpackage.json', 'app://elsewhere/index.html', 'app://clipcast/assets/none.js', 'app://clipcast/%E0%A4%A']) {
      expect((await app.command<{ status: number }>('fetch', { url })).status).toBe(404)
    }
    // a frame that is not the app's page may not call the API
    const refused = await app.command<{ ok: boolean; error?: { code: string } }>('invoke', { channel: 'clipcast:call:getSystemInfo', args: [], senderUrl: 'file:///work/out/renderer/index.html' })
    expect(refused.error?.code).toBe('UNAUTHORIZED')
  })

  it('imports a CSV chosen in the dialog, trains on wasm with the partner thread working, forecasts and exports both CSVs', async () => {
    const csv = join(app.userData, 'hourly load.csv')
    writeHourlyCsv(csv, 240)
    await app.answer('open', csv)
    const issued = await app.value<{ path: string }>('chooseImportFile')
    const dataset = await app.value<{ id: number; rows: number }>('importDataset', { path: issued.path })
    expect(dataset.rows).toBe(240)
    datasetId = dataset.id

    const { runId } = await app.value<{ runId: number }>('startRun', { datasetId, ...TINY, epochs: 2 })
    const status = await app.waitForApiEvent<Status>('run:status', ended(runId))
    expect(status.status).toBe('completed')
    const run = await app.value<{ versions: Record<string, string>; metrics: unknown }>('getRun', runId)
    expect(run.metrics).not.toBeNull()
    expect(Number(run.versions.partnerCalls)).toBeGreaterThan(0)
    expect(run.versions.threads).toBe('2')

    const forecast = await app.value<{ time: string[]; values: Record<string, number[]> }>('forecast', runId)
    expect(forecast.time).toHaveLength(2)
    for (const what of ['forecast', 'test'] as const) {
      const target = join(app.userData, `${what} export.csv`)
      await app.answer('save', target)
      const slot = await app.value<{ path: string }>('chooseExportFile', { runId, what })
      const result = await app.value<{ rows: number }>('exportRun', { runId, what, path: slot.path })
      const lines = readFileSync(target, 'utf8').trim().split('\n')
      expect(lines.length - 1).toBe(result.rows)
      expect(lines[0]).toMatch(/load/)
    }
  })

  it.skipIf(webgpuAdapter === undefined)(`lists the backends from a compute process, trains on webgpu there and records the adapter${webgpuSkipReason}`, async () => {
    const info = await app.value<{ backends: Array<{ name: string; available: boolean; device: string | null }> }>('getBackends')
    expect(info.backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'])
    expect(info.backends[1]).toMatchObject({ available: true, device: expect.stringContaining(webgpuAdapter!.description) })
    const { runId } = await app.value<{ runId: number }>('startRun', { datasetId, ...TINY, backend: 'webgpu', epochs: 1 })
    expect((await app.waitForApiEvent<Status>('run:status', ended(runId))).status).toBe('completed')
    const run = await app.value<{ backend: string; versions: Record<string, string>; metrics: unknown }>('getRun', runId)
    expect(run).toMatchObject({ backend: 'webgpu', versions: { gpuDescription: webgpuAdapter!.description, dawnBackend: webgpuAdapter!.dawnBackend } })
    expect(run.metrics).not.toBeNull()
  })

  it('lives on when a training process is killed: the run is interrupted with the reason, and resumes', async () => {
    const { runId } = await app.value<{ runId: number }>('startRun', { datasetId, ...TINY, epochs: 500 })
    await app.waitForApiEvent<{ runId: number }>('run:epoch', (p) => p.runId === runId)
    const state = await app.command<{ utilityProcesses: Array<{ pid: number; serviceName: string }> }>('state')
    const training = state.utilityProcesses.find((p) => p.serviceName === `Clipcast training run ${runId}`)
    process.kill(training!.pid, 'SIGKILL')
    const status = await app.waitForApiEvent<Status>('run:status', ended(runId))
    expect(status).toMatchObject({ status: 'interrupted', error: { code: 'RUN_PROCESS_CRASHED' } })
    expect((await app.call('getSystemInfo')).ok).toBe(true)

    const committed = (await app.value<{ epochs: number }>('getRun', runId)).epochs
    expect(committed).toBeGreaterThanOrEqual(1)
    const resumed = app.events.length
    await app.value('resumeRun', runId, { epochs: committed + 1 })
    const afterResume = (e: HarnessEvent) => app.events.indexOf(e) >= resumed && e.event === 'ipc' && e.payload.args?.[0] === 'run:status'
    await app.waitForEvent((e) => afterResume(e) && ended(runId)(e.payload.args![1] as Status))
    const run = await app.value<{ status: string; epochs: number }>('getRun', runId)
    expect(run).toMatchObject({ status: 'completed', epochs: committed + 1 })
  })

  it('stops a run on request, resumable, and quits leaving no process behind', async () => {
    const { runId } = await app.value<{ runId: number }>('startRun', { datasetId, ...TINY, epochs: 500 })
    await app.waitForApiEvent<{ runId: number }>('run:epoch', (p) => p.runId === runId)
    await app.value('stopRun', runId)
    expect((await app.value<{ status: string }>('getRun', runId)).status).toBe('stopped')

    // quitting mid-run stops it cleanly too
    const { runId: running } = await app.value<{ runId: number }>('startRun', { datasetId, ...TINY, epochs: 500 })
    await app.waitForApiEvent<{ runId: number }>('run:epoch', (p) => p.runId === running)
    const { utilityProcesses } = await app.command<{ utilityProcesses: Array<{ pid: number }> }>('state')
    await app.command('quit')
    expect(await app.exited).toBe(0)
    expect(await processesGone(utilityProcesses.map((p) => p.pid))).toBe(true)
  })
})

describe('a desktop start that cannot load its SQLite library', () => {
  it('says so, offers no backup restore and leaves the workspace untouched', async () => {
    // opened twice, so the second open leaves an automatic backup that a corruption report would offer
    const userData = mkdtempSync(join(tmpdir(), 'clipcast-desktop-user-'))
    for (let open = 0; open < 2; open++) {
      const healthy = startDesktop({ userData })
      await healthy.ready
      await healthy.value('listDatasets')
      await healthy.command('quit')
      await healthy.exited
    }
    const workspace = join(userData, 'clipcast.db')
    expect(findBackup(workspace)).not.toBeNull()
    const before = readFileSync(workspace)

    const broken = startDesktop({ userData, env: { CLIPCAST_SQLITE_BINDING: join(userData, 'missing', 'better_sqlite3.node') } })
    expect(await broken.exited).toBe(1)
    const error = broken.events.find((e) => e.event === 'dialog:error')
    expect(String(error?.payload.content)).toMatch(/SQLite library/)
    expect(broken.events.filter((e) => e.event === 'dialog:message')).toEqual([])
    expect(readFileSync(workspace).equals(before)).toBe(true)
  })
})
