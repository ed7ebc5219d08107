import { expect, test } from '@playwright/test'
import { importSampleIfMissing, openWorkbench, SCREENSHOTS, startTinyRun } from './helpers'

// Named to run after workbench.spec.ts and workbench.sweeps.spec.ts (files run in name order),
// so the run it trains shifts none of their run ids. Imports the sample when run on its own.

test('steps through the test period of a finished run with the origin slider', async ({ page }) => {
  test.setTimeout(150_000)
  await openWorkbench(page)
  await importSampleIfMissing(page)
  const runId = await startTinyRun(page)
  const live = page.getByTestId('live-run')
  await expect(live.locator('[data-status="completed"]')).toBeVisible({ timeout: 120_000 })
  await live.getByRole('button', { name: 'Open run →' }).click()
  await expect(page.getByTestId('run-detail')).toContainText(`Run #${runId}`)

  const panel = page.getByTestId('test-period')
  await expect(panel.locator('[data-chart="test period chart"] canvas')).toBeVisible()
  const slider = panel.getByTestId('test-slider')
  const last = Number(await slider.getAttribute('max'))
  expect(last).toBeGreaterThan(10)
  // the latest window first
  await expect(slider).toHaveValue(String(last))
  await expect(panel.getByTestId('test-window')).toContainText(`Window ${last + 1} of ${last + 1}`)
  const latestOrigin = await panel.getByTestId('test-origin').innerText()

  await slider.focus()
  await page.keyboard.press('Home')
  await expect(slider).toHaveValue('0')
  await expect(panel.getByTestId('test-window')).toContainText(`Window 1 of ${last + 1}`)
  const firstOrigin = await panel.getByTestId('test-origin').innerText()
  expect(firstOrigin < latestOrigin).toBe(true)

  // one step right: the next window, one hour later (the sample is hourly)
  await page.keyboard.press('ArrowRight')
  await expect(panel.getByTestId('test-window')).toContainText(`Window 2 of ${last + 1}`)
  const next = new Date(`${firstOrigin.replace(' ', 'T')}:00Z`).getTime() + 3_600_000
  await expect(panel.getByTestId('test-origin')).toHaveText(new Date(next).toISOString().replace('T', ' ').slice(0, 16))
  await expect(panel.getByTestId('test-window')).toContainText('MAE')
  await page.waitForTimeout(300)
  await panel.screenshot({ path: `${SCREENSHOTS}/test-period.png` })
})
