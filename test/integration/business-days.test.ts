import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../src/core/backend'
import { importCsv } from '../../src/core/data/import'
import { makeForecast } from '../../src/core/eval/forecast'
import { openWorkspace, type Db } from '../../src/core/store/workspace'
import type { DatasetSummary } from '../../src/shared/api'
import { trainInProcess } from '../helpers/train-run'

// S&P 500 trading days, July 2001 – January 2002 (a slice of bench/data/sp500-2000.csv): weekends,
// Independence Day, Labor Day, Thanksgiving, Christmas and New Year missing, and the market closed
// 11–14 September
const FIXTURE = resolve('test/fixtures/csv/sp500-2001-trading-days.csv')

let db: Db
let dataset: DatasetSummary

beforeAll(async () => {
  await selectBackend('cpu')
  db = openWorkspace(join(mkdtempSync(join(tmpdir(), 'clipcast-business-')), 'ws.db'))
  dataset = await importCsv(db, { path: FIXTURE })
})

afterAll(() => db?.close())

describe('a trading-day series', () => {
  it('imports as business-daily, with the September closure its one gap', () => {
    expect(dataset).toMatchObject({ rows: 144, frequency: 'business-daily', start: '2001-07-02T00:00:00.000Z', end: '2002-01-31T00:00:00.000Z' })
    expect(dataset.warnings).toEqual([
      { code: 'GAPS', message: '1 gap in the business-daily timestamps; the first is 2001-09-10T00:00:00.000Z → 2001-09-17T00:00:00.000Z (4 missing business days).' },
    ])
  })

  it('trains on windows over weekends and holidays, leaving out only those over the closure', async () => {
    const { detail, warnings } = await trainInProcess(db, { datasetId: dataset.id, targets: ['close'], epochs: 2 })
    expect(detail.status).toBe('completed')
    // 144 rows give 137 windows of 6 + 2 rows; the 7 that hold both 10 and 17 September are left out
    expect(warnings.filter((w) => w.code === 'WINDOWS_GAPS').map((w) => w.message)).toEqual(['7 windows that would span a gap in the timestamps were left out.'])

    const { forecast, warnings: forecastWarnings } = await makeForecast(db, detail.id)
    // from Thursday 31 January: Friday, then Monday
    expect(forecast.time).toEqual(['2002-02-01T00:00:00.000Z', '2002-02-04T00:00:00.000Z'])
    expect(forecastWarnings.map((w) => w.code)).not.toContain('FORECAST_INPUT_GAP')
    expect(forecast.values.close!.every(Number.isFinite)).toBe(true)
  })
})
