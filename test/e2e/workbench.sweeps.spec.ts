import { expect, test } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { goTo, openWorkbench, SCREENSHOTS } from './helpers'

// Named to run after workbench.spec.ts (files run in name order): its run ids must not shift.
// A 4-run sweep trained by the CLI against the served workspace, then seen in the app. Four
// decimals: a cell like 10.000 would be an ambiguous thousands group.

function tinyCsv(): string {
  const rows = ['time,level,flow']
  for (let i = 0; i < 160; i++) rows.push(`${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${(10 + 5 * Math.sin(i / 4)).toFixed(4)},${(3 + Math.cos(i / 6)).toFixed(4)}`)
  const path = join(mkdtempSync(join(tmpdir(), 'clipcast-e2e-sweep-')), 'sweep-series.csv')
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

test('a 4-run sweep from the CLI shows in the run table, in parallel coordinates and in the overlaid losses', async ({ page }) => {
  test.setTimeout(150_000)
  const out = execFileSync(
    process.execPath,
    ['bin/clipcast.mjs', 'sweep', tinyCsv(), '--vary', 'clip-threshold=0.5,5', '--vary', 'lr=1e-3,1e-2', '--parallel', '2', '--epochs', '2', '--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '64', '--backend', 'cpu', '--db', process.env.CLIPCAST_E2E_DB!, '--json'],
    { encoding: 'utf8', timeout: 120_000 },
  )
  const done = JSON.parse(out.trim().split('\n').at(-1)!) as { event: string; sweep: { id: number; runs: Array<{ id: number; status: string }> } }
  expect(done.event).toBe('done')
  const ids = done.sweep.runs.map((r) => r.id)
  expect(done.sweep.runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed'])

  await openWorkbench(page)
  await goTo(page, 'Compare')
  const table = page.getByTestId('run-table')
  for (const id of ids) await expect(table.locator(`tr[data-run-id="${id}"]`)).toBeVisible()
  // the varied settings are columns; a setting every run shares is hidden until asked for
  await expect(table.locator('th[data-column="clipThreshold"]')).toBeVisible()
  await expect(table.locator('th[data-column="lr"]')).toBeVisible()
  await expect(table.locator('th[data-column="kernel"]')).toHaveCount(0)
  await page.getByTestId('run-table-all').check()
  await expect(table.locator('th[data-column="kernel"]')).toBeVisible()
  await page.getByTestId('run-table-all').uncheck()

  await page.getByTestId('run-table-search').fill('clipThreshold=5')
  await expect(table.locator('tbody tr')).toHaveCount(2)
  await page.getByTestId('run-table-search').fill('clipThreshold=5 lr=0.01')
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await page.getByTestId('run-table-search').fill('')

  for (const id of ids) await page.getByRole('checkbox', { name: `compare run ${id}` }).check()
  await page.getByTestId('compare-button').click()
  await expect(page.getByTestId('parallel-caption')).toContainText('4 runs across lr, clipThreshold')
  await expect(page.locator('[data-chart="parallel coordinates"] canvas')).toBeVisible()
  await expect(page.locator('[data-chart="loss overlay"] canvas')).toBeVisible()
  await page.getByTestId('overlay-quantity').selectOption('gradNorm')
  await expect(page.locator('[data-chart="gradient norm overlay"] canvas')).toBeVisible()
  await expect(page.locator('[data-chart="setting scatter"] canvas')).toBeVisible()
  await page.getByTestId('parallel-metric').selectOption('test.mae')
  await expect(page.getByTestId('parallel-caption')).toContainText('Test MAE')
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${SCREENSHOTS}/sweep-compare.png`, fullPage: true })

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run-table').click()])
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r\n/)
  expect(csv[0]!.split(',').slice(0, 3)).toEqual(['id', 'status', 'datasetId'])
  for (const id of ids) expect(csv.some((line) => line.startsWith(`${id},completed,`))).toBe(true)
  await expect(page.getByTestId('run-table-exported')).toBeVisible()
})
