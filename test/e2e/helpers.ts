import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const TOKEN = 'e2e-token-0123456789'
export const SCREENSHOTS = 'test-results/screenshots'

/** Opens the workbench the way a user does: the printed URL with the token, once. */
export async function openWorkbench(page: Page, hash = ''): Promise<void> {
  await page.goto(`/?token=${TOKEN}`)
  if (hash) await page.goto(`/#${hash}`)
  await expect(page.locator('.brand')).toContainText('Clipcast')
}

export async function goTo(page: Page, view: 'Datasets' | 'Train' | 'Sweep' | 'Runs' | 'Compare'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: view }).click()
  await expect(page.getByRole('heading', { level: 1, name: view })).toBeVisible()
}

/** Fills the run form for a tiny run that trains in seconds on the cpu backend. */
export async function startTinyRun(page: Page, options: { clip?: 'norm' | 'none'; lr?: string } = {}): Promise<number> {
  await goTo(page, 'Train')
  const form = page.getByTestId('run-form')
  await form.locator('input[name=horizon]').fill('6')
  await form.locator('input[name=lookback]').fill('12')
  await form.locator('input[name=filters]').fill('4')
  await form.locator('input[name=batch]').fill('256')
  await form.locator('input[name=epochs]').fill('2')
  await form.locator('select[name=backend]').selectOption('cpu')
  if (options.clip) await form.locator('select[name=clip]').selectOption(options.clip)
  if (options.lr) await form.locator('input[name=lr]').fill(options.lr)
  await form.getByRole('button', { name: 'Start training' }).click()
  const live = page.getByTestId('live-run')
  await expect(live).toBeVisible()
  const title = await live.locator('h2').innerText()
  return Number(/#(\d+)/.exec(title)?.[1])
}

/** One Api call over the browser host's wire, as the renderer makes it; the call must succeed. */
export async function call<T>(request: APIRequestContext, method: string, args: unknown[]): Promise<T> {
  const response = await request.post(`/api/${method}`, { data: args, headers: { 'x-clipcast-token': TOKEN } })
  expect(response.ok()).toBe(true)
  return ((await response.json()) as { value: T }).value
}

/** Imports the sample from the Datasets view unless the workspace holds it already (a spec run on its own). */
export async function importSampleIfMissing(page: Page): Promise<void> {
  await goTo(page, 'Datasets')
  const sample = page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'sample-seattle-weather-hourly' })
  if ((await sample.count()) === 0) {
    await page.getByTestId('sample-button').click()
    await expect(sample).toBeVisible()
  }
}

/**
 * A 160-row hourly CSV (time, level, flow) in a fresh temp dir, `level` empty on row `missingAt`
 * when given. Four decimals: a cell like 10.000 would be an ambiguous thousands group.
 */
export function seriesCsv(fileName: string, options: { missingAt?: number } = {}): string {
  const rows = ['time,level,flow']
  for (let i = 0; i < 160; i++) {
    const level = i === options.missingAt ? '' : (10 + 5 * Math.sin(i / 4)).toFixed(4)
    rows.push(`${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${level},${(3 + Math.cos(i / 6)).toFixed(4)}`)
  }
  const path = join(mkdtempSync(join(tmpdir(), 'clipcast-e2e-')), fileName)
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

/** Fills the Sweep form: one setting varied over `values`, `parallel` at a time, on `datasetId`, with the given run settings and the cpu backend. */
export async function fillSweepForm(
  page: Page,
  sweep: { vary: string; values: string; parallel: number; datasetId: number; settings: Record<string, string> },
): Promise<Locator> {
  const form = page.getByTestId('sweep-form')
  await form.locator('select[name="vary-key-0"]').selectOption(sweep.vary)
  await form.locator('input[name="vary-values-0"]').fill(sweep.values)
  await form.locator('input[name="sweep-parallel"]').fill(String(sweep.parallel))
  await form.locator('select[name=datasetId]').selectOption(String(sweep.datasetId))
  for (const [name, value] of Object.entries(sweep.settings)) await form.locator(`input[name=${name}]`).fill(value)
  await form.locator('select[name=backend]').selectOption('cpu')
  return form
}
