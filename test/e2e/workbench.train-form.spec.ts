import { expect, test } from '@playwright/test'
import { RUN_FIELD, type RunFieldKey } from '../../src/shared/run-fields'
import { goTo, openWorkbench } from './helpers'

test.describe.configure({ mode: 'serial' })

test.beforeEach(async ({ page }) => {
  // the form needs a dataset: the sample (imported once; the same bytes again return it)
  await openWorkbench(page)
  await page.getByTestId('sample-button').click()
  await expect(page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'sample-seattle-weather-hourly' }).first()).toBeVisible()
})

test('labels every field of the Train form as the RunConfig field table does', async ({ page }) => {
  await goTo(page, 'Train')
  const form = page.getByTestId('run-form')
  await expect(form.locator('[name=horizon]')).toBeVisible()
  const labelOf = (key: string) => form.locator(`label.field:has([name=${key}]) > span`).first()
  const shown = await form.locator('label.field [name]').evaluateAll((inputs) => inputs.map((input) => input.getAttribute('name')!))
  expect(shown.length).toBeGreaterThan(20)
  for (const key of shown) await expect(labelOf(key), key).toHaveText(RUN_FIELD[key as RunFieldKey].label)
  // the AutoClip percentile replaces the threshold when clipping is auto
  await form.locator('select[name=clip]').selectOption('auto')
  await expect(labelOf('clipPercentile')).toHaveText(RUN_FIELD.clipPercentile.label)
  await expect(form.locator('.field').filter({ has: page.locator('.chips') }).locator('> span')).toContainText(RUN_FIELD.targets.label)
})

test('names the settings an error hint points at by the form\'s labels, not by CLI flags', async ({ page }) => {
  await goTo(page, 'Train')
  const form = page.getByTestId('run-form')
  await form.locator('input[name=lookback]').fill('10000')
  await form.locator('input[name=batch]').fill('65536')
  await form.getByRole('button', { name: 'Start training' }).click()
  const banner = page.locator('.error-banner[data-code=RUN_TOO_LARGE]')
  await expect(banner).toBeVisible()
  await expect(banner.locator('.hint')).toContainText(`lower ${RUN_FIELD.batch.label} to`)
  await expect(banner.locator('.hint')).toContainText(`${RUN_FIELD.filters.label} (`)
  await expect(banner.locator('.hint')).not.toContainText('--')
  await expect(banner.locator('.hint')).not.toContainText('{')
})
