import Database from 'better-sqlite3'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { importCsv } from '../../src/core/data/import'
import { upgradeTradingDayDatasets } from '../../src/core/data/trading-day-upgrade'
import { getDataset, listUnsettledDailyDatasets } from '../../src/core/store/datasets'
import { MIGRATIONS } from '../../src/core/store/migrations'
import { createRun } from '../../src/core/store/runs'
import { migrate, openWorkspace, type Db } from '../../src/core/store/workspace'
import { RunConfigSchema } from '../../src/shared/run-config'

// S&P 500 trading days, July 2001 – January 2002 (see business-days.test.ts), and a series with every calendar day
const TRADING_DAYS = resolve('test/fixtures/csv/sp500-2001-trading-days.csv')
const EVERY_DAY = resolve('test/fixtures/csv/index-month-name-daily.csv')

// what an import before trading days were recognised stored: daily, each weekend a gap
const OLD_WARNINGS = [
  { code: 'GAPS', message: '33 gaps in the daily timestamps; the first is 2001-07-03T00:00:00.000Z → 2001-07-05T00:00:00.000Z (1 missing step).' },
  { code: 'TEXT_COLUMNS', message: 'kept from the import' },
]

let db: Db | undefined
afterEach(() => db?.close())

/** A workspace at schema 10 (before trading days were settled) holding these files imported as daily, then opened by this version. */
async function oldWorkspace(files: string[], options: { chosenDaily?: boolean } = {}): Promise<{ path: string; ids: number[] }> {
  const path = join(mkdtempSync(join(tmpdir(), 'clipcast-upgrade-')), 'ws.db')
  const old = new Database(path)
  migrate(old, MIGRATIONS.slice(0, 10))
  const ids: number[] = []
  for (const file of files) {
    // chosen: daily picked at import by a version that detected business days (its warnings name them)
    const { id } = await importCsv(old, { path: file, ...(options.chosenDaily ? { frequency: 'daily' as const } : {}) })
    if (!options.chosenDaily) old.prepare(`UPDATE datasets SET frequency = 'daily', warnings_json = ? WHERE id = ?`).run(JSON.stringify(OLD_WARNINGS), id)
    ids.push(id)
  }
  old.close()
  db = openWorkspace(path)
  return { path, ids }
}

describe('trading-day datasets stored as daily by an older version', () => {
  it('become business-daily once, with the gap warnings of that frequency and the others kept', async () => {
    const { path, ids } = await oldWorkspace([TRADING_DAYS])
    expect(upgradeTradingDayDatasets(db!)).toEqual(ids)
    db!.close()
    db = openWorkspace(path)
    const dataset = getDataset(db, ids[0]!)
    expect(dataset.frequency).toBe('business-daily')
    expect(dataset.warnings.map((w) => w.code)).toEqual(['TEXT_COLUMNS', 'GAPS'])
    expect(dataset.warnings[1]!.message).toContain('business-daily')
    expect(listUnsettledDailyDatasets(db)).toEqual([])
  })

  it('stay daily when a run uses them, since its windows follow the frequency', async () => {
    const { ids } = await oldWorkspace([TRADING_DAYS])
    createRun(db!, RunConfigSchema.parse({ datasetId: ids[0], targets: ['close'] }), 'sha', { pid: process.pid, token: 'test' })
    expect(upgradeTradingDayDatasets(db!)).toEqual([])
    expect(getDataset(db!, ids[0]!)).toMatchObject({ frequency: 'daily', warnings: OLD_WARNINGS })
    expect(listUnsettledDailyDatasets(db!)).toEqual([])
  })

  it('leave a series of every calendar day daily, and read it only once', async () => {
    const { ids } = await oldWorkspace([EVERY_DAY])
    expect(listUnsettledDailyDatasets(db!).map((d) => d.id)).toEqual(ids)
    expect(upgradeTradingDayDatasets(db!)).toEqual([])
    expect(getDataset(db!, ids[0]!)).toMatchObject({ frequency: 'daily', warnings: OLD_WARNINGS })
    expect(listUnsettledDailyDatasets(db!)).toEqual([])
  })

  it('are settled when the same bytes are imported again, which returns the upgraded dataset', async () => {
    const { ids } = await oldWorkspace([TRADING_DAYS])
    const again = await importCsv(db!, { path: TRADING_DAYS })
    expect(again).toMatchObject({ id: ids[0], frequency: 'business-daily' })
    expect(again.warnings.map((w) => w.code)).toContain('ALREADY_IMPORTED')
  })
})

describe('a daily frequency chosen at import', () => {
  it('by a version that recognised trading days is kept', async () => {
    const { ids } = await oldWorkspace([TRADING_DAYS], { chosenDaily: true })
    expect(getDataset(db!, ids[0]!).frequency).toBe('daily')
    expect(listUnsettledDailyDatasets(db!)).toEqual([])
    expect(upgradeTradingDayDatasets(db!)).toEqual([])
    expect(getDataset(db!, ids[0]!).frequency).toBe('daily')
  })

  it('by this version is never detected again', async () => {
    db = openWorkspace(join(mkdtempSync(join(tmpdir(), 'clipcast-upgrade-')), 'ws.db'))
    const { id } = await importCsv(db, { path: TRADING_DAYS, frequency: 'daily' })
    expect(getDataset(db, id).frequency).toBe('daily')
    expect(upgradeTradingDayDatasets(db)).toEqual([])
    expect(getDataset(db, id).frequency).toBe('daily')
  })
})
