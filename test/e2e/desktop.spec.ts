import { expect, test, type Page } from '@playwright/test'
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { killDesktops, ROOT, startDesktop, type DesktopApp } from '../desktop/harness'
import { writeHourlyCsv } from '../helpers/datasets'
import { startTinyRun } from './helpers'

// The desktop path walked as a user does, on the built files: out/renderer in Chromium, its
// real preload bundle (out/preload) over a bridge into the stand-in's ipcMain, the bundled main
// process under Node, training in its own process. Pages come through the app:// handler of
// the main process, by way of a loopback server that forwards each request to it.
test.describe.configure({ mode: 'serial' })

let app: DesktopApp
let server: Server
let origin: string

/** Runs the built preload in the page with the `electron` it expects: contextBridge, ipcRenderer, webUtils. */
function preloadScript(): string {
  const preload = readFileSync(join(ROOT, 'out', 'preload', 'index.cjs'), 'utf8')
  return `(() => {
    const listeners = new Map()
    const ipcRenderer = {
      invoke: (channel, ...args) => window.__desktopInvoke(channel, args),
      on: (channel, listener) => { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(listener) },
      removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
    }
    window.__desktopEmit = (channel, args) => listeners.get(channel)?.forEach((listener) => listener({}, ...args))
    const contextBridge = { exposeInMainWorld: (key, value) => Object.defineProperty(window, key, { value, enumerable: true }) }
    const webUtils = { getPathForFile: (file) => file.__desktopPath ?? '' }
    const require = (name) => { if (name === 'electron') return { contextBridge, ipcRenderer, webUtils }; throw new Error('the preload may not require ' + name) }
    const module = { exports: {} }
    ;(function (require, module, exports) {\n${preload}\n})(require, module, module.exports)
  })()`
}

async function openDesktopWindow(page: Page): Promise<void> {
  await page.exposeBinding('__desktopInvoke', (_source, channel: string, args: unknown[]) =>
    app.command('invoke', { channel, args, senderUrl: 'app://clipcast/index.html' }),
  )
  app.onEvent((event) => {
    if (event.event === 'ipc') void page.evaluate(([channel, args]) => (globalThis as unknown as { __desktopEmit(c: unknown, a: unknown): void }).__desktopEmit(channel, args), [event.payload.channel, event.payload.args]).catch(() => undefined)
  })
  await page.addInitScript({ content: preloadScript() })
  await page.goto(`${origin}/index.html`)
  await expect(page.locator('.brand')).toContainText('Clipcast')
}

test.beforeAll(async () => {
  app = startDesktop()
  await app.ready
  server = createServer((request, response) => {
    app.command<{ status: number; headers: Record<string, string>; body: string }>('fetch', { url: `app://clipcast${request.url}` }).then(
      (answer) => {
        response.writeHead(answer.status, answer.headers)
        response.end(Buffer.from(answer.body, 'base64'))
      },
      (error: Error) => response.writeHead(500).end(error.message),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

test.afterAll(async () => {
  server?.close()
  if (app && app.child.exitCode === null) {
    await app.command('quit').catch(() => undefined)
    await app.exited
  }
  killDesktops()
})

test('imports through the native dialog, trains, opens the run and exports it, all through IPC', async ({ page }) => {
  await openDesktopWindow(page)
  expect(await page.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined')
  const csv = join(app.userData, 'desktop walk.csv')
  writeHourlyCsv(csv, 160)

  await app.answer('open', csv)
  await page.getByTestId('dropzone').getByRole('button', { name: 'Import CSV…' }).click()
  // the chosen file is previewed first and written only on Import
  await expect(page.getByTestId('preview-summary')).toContainText('160 rows · hourly')
  await page.getByTestId('import-button').click()
  const row = page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'desktop walk' })
  await expect(row).toBeVisible()
  await expect(row).toContainText('160')

  const runId = await startTinyRun(page)
  const live = page.getByTestId('live-run')
  await expect(live.locator('[data-status="completed"]')).toBeVisible({ timeout: 75_000 })
  await live.getByRole('button', { name: 'Open run →' }).click()
  await expect(page.getByTestId('run-detail')).toContainText(`Run #${runId}`)
  await expect(page.getByTestId('metrics-table')).toContainText('ConvLSTM')

  const target = join(app.userData, 'walked forecast.csv')
  await app.answer('save', target)
  await page.getByTestId('export-forecast').click()
  await expect(page.getByTestId('export-done')).toContainText('6 rows')
  expect(existsSync(target)).toBe(true)
  expect(readFileSync(target, 'utf8').split(/\r?\n/)[0]).toBe('time,load,temperature')

  const training = (await app.command<{ utilityProcesses: Array<{ serviceName: string }> }>('state')).utilityProcesses.map((p) => p.serviceName)
  expect(training).toEqual(expect.arrayContaining([`Clipcast training run ${runId}`, 'Clipcast forecast', 'Clipcast export']))
})

test('imports a CSV dropped from the file manager by its path, through the preload', async ({ page }) => {
  await openDesktopWindow(page)
  const csv = writeHourlyCsv(join(app.userData, 'dropped from files.csv'), 96)
  // a File as the file manager hands it over: the stand-in's webUtils reads its path
  const data = await page.evaluateHandle((path) => {
    const file = new File(['time,load\n'], 'dropped from files.csv', { type: 'text/csv' })
    Object.defineProperty(file, '__desktopPath', { value: path })
    const transfer = new (globalThis as unknown as { DataTransfer: new () => { items: { add(f: File): void } } }).DataTransfer()
    transfer.items.add(file)
    return transfer
  }, csv)
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: data })
  // the preview reads the whole file on disk (96 rows), not the one line the page's File holds
  await expect(page.getByTestId('preview-summary')).toContainText('96 rows · hourly')
  await page.getByTestId('import-button').click()
  await expect(page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'dropped from files' })).toContainText('96')
})
