import { expect, test, type APIRequestContext } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { IMPORT_FIELD } from '../../src/shared/import-fields'
import { call, openWorkbench, SCREENSHOTS } from './helpers'

// A weather station's daily export from a German spreadsheet: semicolons, decimal commas and
// units in the header, `Temperatur (°C, Mittel)`, whose commas make "," split every line evenly too
const STATION_DAILY = readFileSync(resolve('test/fixtures/csv/dwd-daily-units.csv'))

/** Hourly meter readings saved by an old Windows program: ASCII for 64 KiB, then a remark in Windows-1252. */
function meterReadings(): Buffer {
  const rows = ['Zeit;Verbrauch;Bemerkung']
  for (let h = 0; h < 3500; h++) rows.push(`${new Date(Date.UTC(2024, 0, 1, h)).toISOString().slice(0, 16)};${(h % 24) + 10},${h % 10};`)
  rows.push(`${new Date(Date.UTC(2024, 0, 1, 3500)).toISOString().slice(0, 16)};12,5;St\xf6rung`)
  return Buffer.from(rows.join('\r\n') + '\r\n', 'latin1')
}

const datasetIds = async (request: APIRequestContext): Promise<number[]> => (await call<Array<{ id: number }>>(request, 'listDatasets', [])).map((d) => d.id)

// The specs share one workspace, and the Train form of the next one starts on its first
// dataset: whatever a test here imported is deleted after it, passed or failed
let before: number[] = []
test.beforeEach(async ({ request }) => {
  before = await datasetIds(request)
})
test.afterEach(async ({ request }) => {
  for (const id of await datasetIds(request)) if (!before.includes(id)) await call(request, 'deleteDataset', [id])
})

test('opens a file two delimiters fit on a first guess, and reads it right once Delimiter is chosen', async ({ page }) => {
  await openWorkbench(page)
  await page.getByTestId('file-input').setInputFiles({ name: 'dwd-daily-units.csv', mimeType: 'text/csv', buffer: STATION_DAILY })
  const preview = page.getByTestId('import-preview')
  const delimiter = preview.locator('select[name=delimiter]')
  const header = page.getByTestId('preview-rows').locator('thead th')
  await expect(preview.getByRole('alert')).toHaveAttribute('data-code', 'CSV_AMBIGUOUS_DELIMITER')
  await expect(preview.locator('.hint')).toContainText(`Choose one as ${IMPORT_FIELD.delimiter.label}`)
  await expect(delimiter.locator('option:checked')).toHaveText('undecided, read as comma (,)')
  await expect(header).toHaveText(['Datum;Temperatur (°C', 'Mittel);Niederschlag (mm', 'Summe)'])
  await expect(page.getByTestId('import-button')).toBeDisabled()

  await delimiter.selectOption({ label: 'semicolon (;)' })
  await expect(header).toHaveText(['Datum', 'Temperatur (°C, Mittel)', 'Niederschlag (mm, Summe)'])
  await expect(page.getByTestId('preview-rows').locator('tbody tr').first().locator('td')).toHaveText(['13.03.2024', '3,4', '0,2'])
  await expect(preview.locator('select[name=decimal] option:checked')).toHaveText('detected: comma (,)')
  // 13.03.2024 has no month 13: the dates themselves say they are day-first
  await expect(preview.getByRole('alert')).toHaveCount(0)
  await expect(preview.locator('select[name=timeFormat] option:checked')).toHaveText('detected: DD.MM.YYYY')
  await expect(page.getByTestId('preview-summary')).toContainText('14 rows · daily')
  await expect(page.getByTestId('preview-columns').locator('tbody tr')).toHaveText([/Temperatur \(°C, Mittel\)\s*numeric\s*0/, /Niederschlag \(mm, Summe\)\s*numeric\s*0/])
  await expect(delimiter).toHaveValue(';')
  await page.screenshot({ path: `${SCREENSHOTS}/import-preview-dialect.png`, fullPage: true })

  await page.getByTestId('import-button').click()
  await expect(preview).toHaveCount(0)
  const row = page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'dwd-daily-units' })
  await expect(row).toContainText('daily')
  await expect(row).toContainText('14')
  await expect(row.locator('.chip', { hasText: 'Temperatur (°C, Mittel)' })).toBeVisible()
})

test('asks for the encoding by the dialog\'s Encoding when bytes past the first 64 KiB are not UTF-8', async ({ page }) => {
  await openWorkbench(page)
  await page.getByTestId('file-input').setInputFiles({ name: 'meter-readings.csv', mimeType: 'text/csv', buffer: meterReadings() })
  const preview = page.getByTestId('import-preview')
  const encoding = preview.locator('select[name=encoding]')
  await expect(preview.getByRole('alert')).toHaveAttribute('data-code', 'CSV_ENCODING')
  await expect(preview.locator('.hint')).toContainText(`windows-1252 as ${IMPORT_FIELD.encoding.label}`)
  await expect(encoding.locator('option:checked')).toHaveText('undecided, read as windows-1252')
  await expect(preview.locator('select[name=delimiter] option:checked')).toHaveText('detected: semicolon (;)')

  await encoding.selectOption('windows-1252')
  await expect(page.getByTestId('preview-summary')).toContainText('3,501 rows · hourly')
  await expect(page.getByTestId('preview-columns').locator('tbody tr')).toHaveText([/Verbrauch\s*numeric\s*0/, /Bemerkung\s*text\s*3,500/])
  await page.getByTestId('import-button').click()
  await expect(preview).toHaveCount(0)
  const row = page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'meter-readings' })
  await expect(row).toContainText('hourly')
})

test('says before Import that the same bytes are already a dataset, and after it that Import opened that dataset', async ({ page, request }) => {
  await openWorkbench(page)
  const file = { name: 'dwd-daily-units.csv', mimeType: 'text/csv', buffer: STATION_DAILY }
  const preview = page.getByTestId('import-preview')
  await page.getByTestId('file-input').setInputFiles(file)
  await preview.locator('select[name=delimiter]').selectOption(';')
  await expect(page.getByTestId('already-imported')).toHaveCount(0)
  await page.getByTestId('import-button').click()
  await expect(page.getByTestId('dataset-list').locator('tbody tr').filter({ hasText: 'dwd-daily-units' })).toHaveCount(1)
  const ids = await datasetIds(request)
  const imported = ids.find((id) => !before.includes(id))
  expect(imported).toBeDefined()

  // the same bytes again, to be read in another time zone: the preview reads them so, but Import would not;
  // Import opens the stored dataset even while the preview cannot read the file (its delimiter undecided)
  await page.getByTestId('file-input').setInputFiles(file)
  await expect(preview.getByRole('alert')).toHaveAttribute('data-code', 'CSV_AMBIGUOUS_DELIMITER')
  await expect(page.getByTestId('already-imported')).toHaveAttribute('data-dataset-id', String(imported))
  await expect(page.getByTestId('import-button')).toBeEnabled()
  await preview.locator('select[name=delimiter]').selectOption(';')
  await preview.locator('select[name=timeZone]').selectOption('Europe/Berlin')
  const notice = page.getByTestId('already-imported')
  await expect(notice).toHaveAttribute('data-dataset-id', String(imported))
  await expect(page.getByTestId('import-button')).toBeEnabled()
  await page.getByTestId('import-button').click()
  await expect(preview).toHaveCount(0)
  await expect(page.getByTestId('import-warnings').locator('[data-code]')).toHaveAttribute('data-code', 'ALREADY_IMPORTED')
  expect(await datasetIds(request)).toEqual(ids)
})
