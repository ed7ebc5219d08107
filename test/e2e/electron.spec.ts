import { _electron as electron, expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The desktop shell's security (RELIABILITY 27, 29). Needs the Electron binary, which is not
// downloaded here (ELECTRON_SKIP_BINARY_DOWNLOAD=1); wherever `npm install` fetched it, it runs.
function electronBinary(): { path: string | null; reason: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string
    return existsSync(path) ? { path, reason: '' } : { path: null, reason: `the Electron binary is missing at ${path}` }
  } catch (error) {
    return { path: null, reason: `the Electron binary is not installed (${(error as Error).message.split('\n')[0]})` }
  }
}

const binary = electronBinary()

test('the renderer runs isolated, sandboxed and without Node (reliability 27, 29)', async () => {
  test.skip(binary.path === null, binary.reason)
  // better-sqlite3 for Electron's ABI, as `npm start` prepares it
  execFileSync(process.execPath, ['scripts/prepare-electron.mjs'], { stdio: 'inherit' })
  const app = await electron.launch({
    executablePath: binary.path!,
    args: ['.'],
    env: { ...process.env, CLIPCAST_DB: join(mkdtempSync(join(tmpdir(), 'clipcast-electron-')), 'w.db') },
  })
  try {
    const page = await app.firstWindow()
    await expect(page.locator('.brand')).toContainText('Clipcast')
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    // contextBridge refuses to work without context isolation: the bridge being there proves it on
    expect(await page.evaluate(() => typeof (globalThis as { clipcast?: unknown }).clipcast)).toBe('object')
    expect(await page.evaluate(() => typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer)).toBe('undefined')
    // the bridge works and answers with data, errors included
    const info = await page.evaluate(() => (globalThis as unknown as { clipcast: { getSystemInfo(): Promise<{ ok: boolean }> } }).clipcast.getSystemInfo())
    expect(info.ok).toBe(true)
    const refused = await page.evaluate(() => (globalThis as unknown as { clipcast: { importDataset(r: unknown): Promise<{ ok: boolean; error?: { code: string } }> } }).clipcast.importDataset({ path: '/etc/passwd' }))
    expect(refused.error?.code).toBe('PATH_NOT_ALLOWED')
    // window.open and navigation away are refused
    await page.evaluate(() => (globalThis as unknown as { open(url: string): unknown }).open('https://example.com'))
    expect(app.windows()).toHaveLength(1)
    const before = page.url()
    await page.evaluate(() => {
      ;(globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com'
    })
    await page.waitForTimeout(300)
    expect(page.url()).toBe(before)
  } finally {
    await app.close()
  }
})
