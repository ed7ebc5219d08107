import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { call, fillSweepForm, goTo, importSampleIfMissing, openWorkbench, seriesCsv } from './helpers'

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

async function sampleDatasetId(page: Page, request: APIRequestContext): Promise<number> {
  await importSampleIfMissing(page)
  const datasets = await call<Array<{ id: number; name: string }>>(request, 'listDatasets', [])
  return datasets.find((d) => d.name.includes('sample-seattle-weather-hourly'))!.id
}

type Trial = { trial: number; runId: number | null; runStatus: string | null }

test('stops a sweep from its Stop button: the sweep and its trials end stopped, none trains on, and each change re-reads that sweep alone', async ({ page, request }) => {
  test.setTimeout(180_000)
  await openWorkbench(page)
  const datasetId = await sampleDatasetId(page, request)
  const tiny = { datasetId, horizon: 2, lookback: 6, filters: 2, batch: 256, backend: 'cpu' }
  // another sweep, finished before the view opens: nothing that happens from now on is its change
  const other = await call<{ id: number }>(request, 'startSweep', [{ base: { ...tiny, epochs: 1 }, spec: { mode: 'grid', dimensions: [{ key: 'lr', values: [0.001] }] }, parallel: 1 }])
  await expect.poll(async () => (await call<{ running: boolean; finishedAt: string | null }>(request, 'getSweep', [other.id])).finishedAt, { timeout: 60_000 }).not.toBeNull()
  await expect.poll(async () => (await call<{ running: boolean }>(request, 'getSweep', [other.id])).running).toBe(false)

  const calls = apiCalls(page)
  // the list answered and shown before anything changes, so no change lands while it is on its way
  const listed = page.waitForResponse('**/api/listSweeps')
  await goTo(page, 'Sweep')
  await listed
  await expect(page.locator(`[data-testid="sweep"][data-sweep-id="${other.id}"]`)).toBeVisible()

  // far more epochs than the test waits for: Stop ends the first trial while it trains
  const settings = { horizon: '2', lookback: '6', filters: '2', batch: '256', epochs: '500' }
  const form = await fillSweepForm(page, { vary: 'lr', values: '0.001, 0.002, 0.003', parallel: 1, datasetId, settings })
  const [started] = await Promise.all([page.waitForResponse('**/api/startSweep'), form.getByRole('button', { name: 'Start sweep' }).click()])
  const sweepId = ((await started.json()) as { value: { id: number } }).value.id
  const sweep = page.locator(`[data-testid="sweep"][data-sweep-id="${sweepId}"]`)
  await expect(sweep.locator('tr[data-trial="1"][data-state="active"]')).toBeVisible({ timeout: 60_000 })

  // a run of no sweep, trained to its end while the sweep trains: nothing of its own for the view to read
  const { runId: loneRun } = await call<{ runId: number }>(request, 'startRun', [{ ...tiny, epochs: 1 }])
  await expect.poll(async () => (await call<{ status: string }>(request, 'getRun', [loneRun])).status, { timeout: 60_000 }).toBe('completed')
  await expect(sweep.locator('tr[data-trial="1"][data-state="active"]')).toBeVisible()
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
  // the list once, when the view opened; after that only this sweep, never the other one
  expect(calls.filter((c) => c.startsWith('listSweeps'))).toEqual(['listSweeps'])
  const reads = calls.filter((c) => c.startsWith('getSweep'))
  expect(new Set(reads)).toEqual(new Set([`getSweep ${sweepId}`]))
  // at most one read per change of it: the Start and Stop actions, four sweep:progress (started,
  // trial 1 started and ended, stopped), its trial's three statuses (queued, running, stopped),
  // and one more for each of the lone run's three that lands while a read is on its way
  expect(reads.length).toBeLessThanOrEqual(12)

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

test('shows a run\'s first forecast and the warning it stored without reading the run again', async ({ page, request }) => {
  test.setTimeout(90_000)
  const out = execFileSync(
    process.execPath,
    ['bin/clipcast.mjs', 'train', seriesCsv('missing-last.csv', { missingAt: 158 }), '--epochs', '1', '--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '64', '--backend', 'cpu', '--db', process.env.CLIPCAST_E2E_DB!, '--json'],
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
