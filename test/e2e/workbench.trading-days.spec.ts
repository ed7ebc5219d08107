import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { goTo, openWorkbench } from './helpers'

// S&P 500 trading days, July 2001 – January 2002: no weekends, no holidays
const TRADING_DAYS = readFileSync(resolve('test/fixtures/csv/sp500-2001-trading-days.csv'))

test('previews, imports and suggests a run for a trading-day file as business-daily', async ({ page }) => {
  await openWorkbench(page)
  await page.getByTestId('file-input').setInputFiles({ name: 'sp500-trading-days.csv', mimeType: 'text/csv', buffer: TRADING_DAYS })
  const preview = page.getByTestId('import-preview')
  await expect(page.getByTestId('preview-summary')).toContainText('144 rows · business-daily')
  await expect(preview.locator('select[name=frequency]')).toHaveValue('business-daily')
  await page.getByTestId('import-button').click()
  await expect(preview).toHaveCount(0)
  const row = page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'sp500-trading-days' })
  await expect(row).toContainText('business-daily')
  await expect(row).toContainText('144')

  await goTo(page, 'Train')
  const form = page.getByTestId('run-form')
  const option = form.locator('select[name=datasetId] option', { hasText: 'sp500-trading-days' })
  await form.locator('select[name=datasetId]').selectOption(await option.getAttribute('value'))
  // a trading week ahead, four back
  await expect(form.locator('input[name=horizon]')).toHaveValue('5')
  await expect(form.locator('input[name=lookback]')).toHaveValue('20')
  await expect(form.getByTestId('suggested-horizon')).toContainText('suggested for business-daily data')
})
