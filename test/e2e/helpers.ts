import { expect, type Page } from '@playwright/test'

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
