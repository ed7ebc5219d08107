import { defineConfig } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The browser e2e suite drives the real backend: `clipcast serve` on a free port with a
// temporary workspace and a fixed token. Chosen once in the runner; workers inherit the env.
if (!process.env.CLIPCAST_E2E_PORT) {
  process.env.CLIPCAST_E2E_PORT = execFileSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"]).toString()
  process.env.CLIPCAST_E2E_DB = join(mkdtempSync(join(tmpdir(), 'clipcast-e2e-')), 'workspace.db')
}
export const E2E_TOKEN = 'e2e-token-0123456789'
const port = process.env.CLIPCAST_E2E_PORT
const baseURL = `http://127.0.0.1:${port}`
const build = process.env.CLIPCAST_E2E_SKIP_BUILD ? '' : 'npx electron-vite build > /dev/null && '

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // one workspace and two cores: the specs run in order, one at a time
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CLIPCAST_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'browser', testIgnore: /electron\.spec\.ts/ },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
  webServer: {
    command: `${build}node bin/clipcast.mjs serve --port ${port} --db ${process.env.CLIPCAST_E2E_DB} --token ${E2E_TOKEN}`,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
})
