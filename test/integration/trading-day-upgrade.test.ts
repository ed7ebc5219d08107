import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { upgradeTradingDayDatasets } from '../../src/core/data/trading-day-upgrade'
import { importCsv } from '../../src/core/data/import'
import { getDataset, setDatasetFrequency } from '../../src/core/store/datasets'
import { createRun } from '../../src/core/store/runs'
import { openWorkspace, type Db } from '../../src/core/store/workspace'
import { RunConfigSchema } from '../../src/shared/run-config'

// S&P 500 trading days, July 2001 – January 2002 (see business-days.test.ts), and a series with every calendar day
const TRADING_DAYS = resolve('test/fixtures/csv/sp500-2001-trading-days.csv')
const EVERY_DAY = resolve('test/fixtures/csv/index-month-name-daily.csv')

// what an import before trading days were recognised stored: daily, each weekend a gap
const OLD_WARNINGS = [
  { code: 'GAPS', message: '33 gaps in the daily timestamps; the first is 2001-07-03T00:00:00.000Z → 2001-07-05T00:00:00.000Z (1 missing step).' },
  { code: 'TEXT_COLUMNS', message: 'kept from the import' },
]

let path: string
let db: Db

beforeEach(() => {
  path = join(mkdtempSync(join(tmpdir(), 'clipcast-upgrade-')), 'ws.db')
  db = openWorkspace(path)
})
afterEach(() => db.close())

async function importedAsDaily(file: string): Promise<number> {
  const { id } = await importCsv(db, { path: file })
  setDatasetFrequency(db, id, 'daily', OLD_WARNINGS)
  return id
}

describe('trading-day datasets imported as daily', () => {
  it('become business-daily, with the gap warnings of that frequency and the others kept', async () => {
    const id = await importedAsDaily(TRADING_DAYS)
    expect(upgradeTradingDayDatasets(db)).toEqual([id])
    db.close()
    db = openWorkspace(path)
    expect(getDataset(db, id).frequency).toBe('business-daily')
    expect(getDataset(db, id).warnings).toEqual([
      { code: 'TEXT_COLUMNS', message: 'kept from the import' },
      { code: 'GAPS', message: '1 gaps in the business-daily timestamps; the first is 2001-09-10T00:00:00.000Z → 2001-09-17T00:00:00.000Z (4 missing business days).' },
    ])
    expect(upgradeTradingDayDatasets(db)).toEqual([])
  })

  it('stay daily when a run uses them, since its windows follow the frequency', async () => {
    const id = await importedAsDaily(TRADING_DAYS)
    createRun(db, RunConfigSchema.parse({ datasetId: id, targets: ['close'] }), 'sha', { pid: process.pid, token: 'test' })
    expect(upgradeTradingDayDatasets(db)).toEqual([])
    expect(getDataset(db, id)).toMatchObject({ frequency: 'daily', warnings: OLD_WARNINGS })
  })

  it('leave a series of every calendar day daily', async () => {
    const { id, frequency, warnings } = await importCsv(db, { path: EVERY_DAY })
    expect(frequency).toBe('daily')
    expect(upgradeTradingDayDatasets(db)).toEqual([])
    expect(getDataset(db, id)).toMatchObject({ frequency: 'daily', warnings })
  })
})
