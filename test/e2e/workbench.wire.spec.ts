import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { goTo, openWorkbench, TOKEN } from './helpers'

// Named to run after the other workbench specs (files run in name order), so the runs it trains
// shift none of their run ids. What the renderer asks of the host, counted on the wire: one
// read per change, never a list per event. Imports the sample when run on its own.
test.describe.configure({ mode: 'serial' })

/** The Api calls the page makes from now on, as `method` or `method arg` for a one-number call, in order. */
function apiCalls(page: Page): string[] {
  const calls: string[] = []
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname
    if (!path.startsWith('/api/') || path === '/api/events') return
    const args = JSON.parse(request.postData() ?? '[]') as unknown[]
    calls.push(args.length === 1 && typeof args[0] === 'number' ? `${path.slice(5)} ${args[0]}` : path.slice(5))
  })
  return calls
}

async function call<T>(request: APIRequestContext, method: string, args: unknown[]): Promise<T> {
  const response = await request.post(`/api/${method}`, { data: args, headers: { 'x-clipcast-token': TOKEN } })
  expect(response.ok()).toBe(true)
  return ((await response.json()) as { value: T }).value
}

async function sampleDatasetId(page: Page, request: APIRequestContext): Promise<number> {
  await goTo(page, 'Datasets')
  const sample = page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'sample-seattle-weather-hourly' })
  if ((await sample.count()) === 0) {
    await page.getByTestId('sample-button').click()
    await expect(sample).toBeVisible()
  }
  const datasets = await call<Array<{ id: number; name: string }>>(request, 'listDatasets', [])
  return datasets.find((d) => d.name.includes('sample-seattle-weather-hourly'))!.id
}

type Trial = { trial: number; runId: number | null; runStatus: string | null }

test('stops a sweep from its Stop button: the sweep and its trials end stopped, none trains on, and each change re-reads that sweep alone', async ({ page, request }) => {
  test.setTimeout(150_000)
  await openWorkbench(page)
  const datasetId = await sampleDatasetId(page, request)
  const calls = apiCalls(page)
  await goTo(page, 'Sweep')
  await expect(page.getByTestId('sweep').first().or(page.getByText('No sweep yet'))).toBeVisible()

  // a run of no sweep, trained to its end while the view is open: nothing for the view to read
  const tiny = { datasetId, horizon: 2, lookback: 6, filters: 2, batch: 256, backend: 'cpu' }
  const { runId: loneRun } = await call<{ runId: number }>(request, 'startRun', [{ ...tiny, epochs: 1 }])
  await expect.poll(async () => (await call<{ status: string }>(request, 'getRun', [loneRun])).status, { timeout: 60_000 }).toBe('completed')

  const form = page.getByTestId('sweep-form')
  await form.locator('select[name="vary-key-0"]').selectOption('lr')
  await form.locator('input[name="vary-values-0"]').fill('0.001, 0.002, 0.003')
  await form.locator('input[name="sweep-parallel"]').fill('1')
  await form.locator('select[name=datasetId]').selectOption(String(datasetId))
  // far more epochs than the test waits for: Stop ends the first trial while it trains
  for (const [name, value] of [['horizon', '2'], ['lookback', '6'], ['filters', '2'], ['batch', '256'], ['epochs', '500']]) await form.locator(`input[name=${name}]`).fill(value!)
  await form.locator('select[name=backend]').selectOption('cpu')
  const [started] = await Promise.all([page.waitForResponse('**/api/startSweep'), form.getByRole('button', { name: 'Start sweep' }).click()])
  const sweepId = ((await started.json()) as { value: { id: number } }).value.id
  const sweep = page.locator(`[data-testid="sweep"][data-sweep-id="${sweepId}"]`)
  await expect(sweep.locator('tr[data-trial="1"][data-state="active"]')).toBeVisible({ timeout: 60_000 })
  await sweep.getByTestId('stop-sweep').click()

  const endsStopped = async () => {
    await expect(sweep.getByTestId('sweep-state')).toContainText('unfinished · 0/3 done')
    await expect(sweep.getByTestId('stop-sweep')).toHaveCount(0)
    await expect(sweep.getByTestId('resume-sweep')).toBeVisible()
    await expect(sweep.locator('tr[data-trial="1"]')).toHaveAttribute('data-state', 'resumable')
    await expect(sweep.locator('tr[data-trial="1"] [data-status]')).toHaveAttribute('data-status', 'stopped')
    await expect(sweep.locator('tr[data-state="pending"]')).toHaveCount(2)
    await expect(sweep.locator('tr[data-state="active"]')).toHaveCount(0)
  }
  await endsStopped()
  // the list once, when the view opened; after that only this sweep, never for the lone run
  expect(calls.filter((c) => c.startsWith('listSweeps'))).toEqual(['listSweeps'])
  expect(calls.filter((c) => c.startsWith('getSweep')).every((c) => c === `getSweep ${sweepId}`)).toBe(true)
  expect(calls).toContain(`getSweep ${sweepId}`)

  // what the host holds, read afresh: the sweep no longer runs and no trial trains
  await page.reload()
  await goTo(page, 'Sweep')
  await endsStopped()
  const stored = await call<{ running: boolean; trials: Trial[] }>(request, 'getSweep', [sweepId])
  expect(stored.running).toBe(false)
  expect(stored.trials.map((t) => t.runStatus)).toEqual(['stopped', null, null])
  const runs = await call<Array<{ id: number; status: string }>>(request, 'listRuns', [])
  expect(runs.filter((r) => r.status === 'running' || r.status === 'queued')).toEqual([])
})

function csvWithAMissingLastValue(): string {
  const rows = ['time,level,flow']
  for (let i = 0; i < 160; i++) rows.push(`${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${i === 158 ? '' : (10 + 5 * Math.sin(i / 4)).toFixed(4)},${(3 + Math.cos(i / 6)).toFixed(4)}`)
  const path = join(mkdtempSync(join(tmpdir(), 'clipcast-e2e-wire-')), 'missing-last.csv')
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

test('shows a run\'s first forecast and the warning it stored without reading the run again', async ({ page, request }) => {
  test.setTimeout(90_000)
  const out = execFileSync(
    process.execPath,
    ['bin/clipcast.mjs', 'train', csvWithAMissingLastValue(), '--epochs', '1', '--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '64', '--backend', 'cpu', '--db', process.env.CLIPCAST_E2E_DB!, '--json'],
    { encoding: 'utf8', timeout: 60_000 },
  )
  const runId = (JSON.parse(out.trim().split('\n').at(-1)!) as { run: { id: number } }).run.id
  // the imputation warning comes from the forecast, which nothing has made yet
  const before = await call<{ warnings: Array<{ code: string }> }>(request, 'getRun', [runId])
  expect(before.warnings.map((w) => w.code)).not.toContain('VALUES_IMPUTED')

  const calls = apiCalls(page)
  await openWorkbench(page, `/runs/${runId}`)
  await expect(page.getByTestId('run-detail')).toContainText(`Run #${runId}`)
  await expect(page.locator('[data-chart="forecast chart"] canvas')).toBeVisible()
  await expect(page.getByTestId('run-warnings').locator('[data-code="VALUES_IMPUTED"]')).toBeVisible()
  expect(calls.filter((c) => c.startsWith('forecast'))).toEqual([`forecast ${runId}`])
  expect(calls.filter((c) => c.startsWith('getRun '))).toEqual([`getRun ${runId}`])
})
