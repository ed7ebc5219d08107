import { expect, test } from '@playwright/test'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fillSweepForm, goTo, openWorkbench, SCREENSHOTS, seriesCsv } from './helpers'

// Named to run after workbench.spec.ts (files run in name order): its run ids must not shift.
// A 4-run sweep trained by the CLI against the served workspace, then seen in the app.


/** The dataset the CLI sweep imported, for the sweeps the next tests start. */
let datasetId = 0

test('a 4-run sweep from the CLI shows in the run table, in parallel coordinates and in the overlaid losses', async ({ page }) => {
  test.setTimeout(150_000)
  const out = execFileSync(
    process.execPath,
    ['bin/clipcast.mjs', 'sweep', seriesCsv('sweep-series.csv'), '--vary', 'clip-threshold=0.5,5', '--vary', 'lr=1e-3,1e-2', '--parallel', '2', '--epochs', '2', '--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '64', '--backend', 'cpu', '--db', process.env.CLIPCAST_E2E_DB!, '--json'],
    { encoding: 'utf8', timeout: 120_000 },
  )
  const done = JSON.parse(out.trim().split('\n').at(-1)!) as { event: string; sweep: { id: number; runs: Array<{ id: number; status: string; config: { datasetId: number } }> } }
  expect(done.event).toBe('done')
  const ids = done.sweep.runs.map((r) => r.id)
  datasetId = done.sweep.runs[0]!.config.datasetId
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

  // down to forecasts: every run's test forecast over the actual values, and a MAE heatmap per run
  await expect(page.locator('[data-chart="test forecast overlay"] canvas')).toBeVisible()
  await expect(page.getByTestId('forecast-target').locator('option')).toHaveText(['level', 'flow'])
  await page.getByTestId('forecast-step').selectOption('2')
  for (const id of ids) await expect(page.locator(`[data-chart="MAE heatmap ${id}"] canvas`).first()).toBeVisible()
  await expect(page.getByTestId('forecast-failures')).toHaveCount(0)
  // grouped by lr: two groups of two runs, mean ± sd of the metric and a band of the losses
  await page.getByTestId('group-by').selectOption('setting:lr')
  await expect(page.getByTestId('groups-table').locator('tbody tr')).toHaveCount(2)
  await expect(page.getByTestId('groups-table')).toContainText('lr=0.01')
  await expect(page.getByTestId('groups-table')).toContainText('±')
  await expect(page.locator('[data-chart="grouped loss band"] canvas')).toBeVisible()
  await page.waitForTimeout(300)
  await page.screenshot({ path: `${SCREENSHOTS}/sweep-compare.png`, fullPage: true })

  // a tag and a note on one run, from the run table; then found by tag=…
  await page.getByRole('button', { name: `tags and note of run ${ids[0]}` }).click()
  const editor = page.getByTestId('run-labels')
  await editor.getByTestId('new-tag').fill('best guess')
  await editor.getByRole('button', { name: 'Add' }).click()
  await expect(editor.locator('[data-tag="best-guess"]')).toBeVisible()
  await editor.getByTestId('run-note').fill('lr looks high, "retry", lower')
  await editor.getByTestId('save-note').click()
  await expect(table.locator(`tr[data-run-id="${ids[0]}"]`)).toContainText('best-guess')
  await page.getByTestId('run-table-search').fill('tag=best-guess')
  await expect(table.locator('tbody tr')).toHaveCount(1)
  await page.getByTestId('run-table-search').fill('')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run-table').click()])
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r\n/)
  expect(csv[0]!.split(',').slice(0, 5)).toEqual(['id', 'status', 'tags', 'note', 'datasetId'])
  for (const id of ids.slice(1)) expect(csv.some((line) => line.startsWith(`${id},completed,,,`))).toBe(true)
  expect(csv.some((line) => line.startsWith(`${ids[0]},completed,best-guess,"lr looks high, ""retry"", lower",`))).toBe(true)
  await expect(page.getByTestId('run-table-exported')).toBeVisible()

  // the tag and the note in the run view too
  await openWorkbench(page, `/runs/${ids[0]}`)
  await expect(page.getByTestId('run-labels').locator('[data-tag="best-guess"]')).toBeVisible()
  await expect(page.getByTestId('run-note')).toHaveValue('lr looks high, "retry", lower')
})

test('a tiny sweep started from the Sweep form trains its runs and finishes', async ({ page }) => {
  test.setTimeout(120_000)
  await openWorkbench(page)
  await goTo(page, 'Sweep')
  const settings = { horizon: '2', lookback: '6', filters: '2', batch: '64', epochs: '1' }
  const form = await fillSweepForm(page, { vary: 'lr', values: '0.001, 0.01', parallel: 1, datasetId, settings })
  await expect(page.getByTestId('sweep-trial-count')).toHaveText('2 runs')
  await form.getByRole('button', { name: 'Start sweep' }).click()
  const sweep = page.getByTestId('sweep').first()
  await expect(sweep.getByTestId('sweep-state')).toContainText('finished · 2/2 done', { timeout: 90_000 })
  await expect(sweep.locator('tr[data-state="done"]')).toHaveCount(2)
  await expect(sweep.locator('tbody')).toContainText('lr=0.001')
  await page.screenshot({ path: `${SCREENSHOTS}/sweep-form.png`, fullPage: true })
})

test('a sweep whose CLI process was killed part-way is resumed from the app and completes', async ({ page }) => {
  test.setTimeout(150_000)
  const child = spawn(process.execPath, ['bin/clipcast.mjs', 'sweep', String(datasetId), '--vary', 'clip-threshold=0.5,1,2', '--parallel', '1', '--epochs', '1', '--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '64', '--backend', 'cpu', '--db', process.env.CLIPCAST_E2E_DB!, '--json'])
  // killed as soon as its first run has ended: the other trials are left pending or interrupted
  const sweepId = await new Promise<number>((resolve, reject) => {
    let buffer = ''
    let id = 0
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      for (const line of buffer.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; sweep?: { id: number } }
        if (event.event === 'sweep') id = event.sweep!.id
        if (event.event === 'run') {
          child.kill('SIGKILL')
          resolve(id)
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1)
    })
    child.on('exit', () => reject(new Error('the sweep ended before a run did')))
  })
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.on('exit', resolve)))
  await openWorkbench(page)
  await goTo(page, 'Sweep')
  const sweep = page.locator(`[data-testid="sweep"][data-sweep-id="${sweepId}"]`)
  await expect(sweep.getByTestId('sweep-state')).toContainText('unfinished')
  await sweep.getByTestId('resume-sweep').click()
  await expect(sweep.getByTestId('sweep-state')).toContainText('finished · 3/3 done', { timeout: 120_000 })
  await expect(sweep.locator('tr[data-state="done"]')).toHaveCount(3)
  const runIds = await sweep.locator('tbody tr td:nth-child(3)').allInnerTexts()
  expect(new Set(runIds).size).toBe(3)
})
