import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../src/core/data/import'
import { readColumn, readTimes } from '../../../../src/core/store/datasets'
import type { ImportRequest } from '../../../../src/shared/api'
import { codeOf, importText, tempWorkspace, warningCodes } from './helpers'

const fixture = (name: string): string => join(__dirname, '../../../fixtures/csv', name)
const importFixture = (name: string, request: Omit<ImportRequest, 'path'> = {}) => {
  const db = tempWorkspace()
  return importCsv(db, { path: fixture(name), ...request }).then((dataset) => ({ db, dataset }))
}
const missingOf = (dataset: { columns: Array<{ name: string; missing: number }> }) => Object.fromEntries(dataset.columns.map((c) => [c.name, c.missing]))
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe('importCsv: the time formats of public economic and climate files', () => {
  it('reads integer years as yearly timestamps at 1 January', async () => {
    const { db, dataset } = await importFixture('sunspots-yearly.csv')
    expect(dataset).toMatchObject({ rows: 30, frequency: 'yearly', timeColumn: 'YEAR', start: '1700-01-01T00:00:00.000Z', end: '1729-01-01T00:00:00.000Z', timeFormat: 'yyyy' })
    expect(missingOf(dataset)).toEqual({ SUNACTIVITY: 0 })
    expect(readTimes(db, dataset.id)[1]).toBe(Date.UTC(1701, 0, 1))
  })

  it('combines year and quarter columns into quarter starts, and keeps them out of the variables', async () => {
    const { db, dataset } = await importFixture('macro-year-quarter.csv')
    expect(dataset).toMatchObject({ rows: 12, frequency: 'quarterly', timeColumn: 'year,quarter', timeFormat: "yyyy'Q'q" })
    expect(missingOf(dataset)).toEqual({ realgdp: 0, realcons: 0, infl: 1 })
    expect([...readTimes(db, dataset.id, { start: 2, end: 5 })].map(iso)).toEqual(['1959-07-01', '1959-10-01', '1960-01-01'])
  })

  it('reads 1974Q1 strings as quarterly', async () => {
    const { db, dataset } = await importFixture('unemployment-quarterly.csv')
    expect(dataset).toMatchObject({ rows: 24, frequency: 'quarterly', start: '1974-01-01T00:00:00.000Z', end: '1979-10-01T00:00:00.000Z' })
    expect(readTimes(db, dataset.id)[1]).toBe(Date.UTC(1974, 3, 1))
  })

  it('reads Jan-1-1995 month-name dates as daily, with the empty cell missing', async () => {
    const { dataset } = await importFixture('index-month-name-daily.csv')
    expect(dataset).toMatchObject({ rows: 20, frequency: 'daily', start: '1995-01-01T00:00:00.000Z', end: '1995-01-20T00:00:00.000Z', timeFormat: 'MMM-d-yyyy' })
    expect(missingOf(dataset)).toEqual({ Close: 1, Volume: 0 })
  })

  it('reads weekly compact 19580329 dates with empty cells for missing weeks and a week without a row', async () => {
    const { dataset } = await importFixture('co2-weekly-compact.csv')
    // the week without a row becomes an explicit missing row (reliability 24)
    expect(dataset).toMatchObject({ rows: 26, frequency: 'weekly', start: '1958-03-29T00:00:00.000Z' })
    expect(missingOf(dataset)).toEqual({ co2_ppm: 4 })
    expect(warningCodes(dataset)).toEqual(expect.arrayContaining(['GAPS', 'GAPS_FILLED']))
  })

  it('reads Jan 2020 month names as monthly', async () => {
    const { dataset } = await importFixture('sales-month-year.csv')
    expect(dataset).toMatchObject({ rows: 18, frequency: 'monthly', start: '2020-01-01T00:00:00.000Z', end: '2021-06-01T00:00:00.000Z' })
  })

  it('reshapes a table of years by twelve month columns into one monthly series', async () => {
    const { db, dataset } = await importFixture('temperature-year-by-month.csv')
    expect(dataset).toMatchObject({ rows: 60, frequency: 'monthly', start: '1880-01-01T00:00:00.000Z', end: '1884-12-01T00:00:00.000Z' })
    expect(missingOf(dataset)).toEqual({ value: 1 })
    expect(warningCodes(dataset)).toContain('RESHAPED')
    const values = readColumn(db, dataset.id, 'value')
    expect([values[0], values[13]]).toEqual([-0.2, -0.14])
    expect(Number.isNaN(values[2 * 12 + 6]!)).toBe(true)
  })

  it('pivots a long symbol,date,price file into one column per symbol over the union of dates', async () => {
    const { db, dataset } = await importFixture('stocks-long.csv', { seriesColumn: 'symbol' })
    expect(dataset).toMatchObject({ rows: 6, frequency: 'monthly', timeColumn: 'date' })
    expect(missingOf(dataset)).toEqual({ AAPL: 0, MSFT: 0, IBM: 1 })
    expect([...readColumn(db, dataset.id, 'IBM')]).toEqual([110, 111.5, 113, NaN, 116, 117.5])
  })

  it('refuses a long file without --series-column and names the column that splits its repeated dates', async () => {
    const error = await importFixture('stocks-long.csv').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DUPLICATE_TIMESTAMPS', details: { seriesColumn: 'symbol' } })
  })
})

describe('importCsv: formats, columns and reshaping chosen by hand', () => {
  it('pivots a long panel of integer years, one row per country and year', async () => {
    const db = tempWorkspace()
    const dataset = await importText('year,country,gdp\n1990,FR,1\n1990,DE,2\n1991,FR,3\n1991,DE,4\n1992,FR,5\n', { seriesColumn: 'country' }, {}, db)
    expect(dataset).toMatchObject({ rows: 3, frequency: 'yearly', columns: [{ name: 'FR', missing: 0 }, { name: 'DE', missing: 1 }] })
  })

  it('names value columns <id>_<value> when a long file has several', async () => {
    const db = tempWorkspace()
    const dataset = await importText('id,ds,y,x\na,2024-01-01,1,10\nb,2024-01-01,2,20\na,2024-01-02,3,30\n', { seriesColumn: 'id' }, {}, db)
    expect(dataset.columns.map((c) => c.name)).toEqual(['a_y', 'a_x', 'b_y', 'b_x'])
    expect([...readColumn(db, dataset.id, 'b_x')]).toEqual([20, NaN])
  })

  it('takes Luxon tokens in --time-format', async () => {
    const dataset = await importText('when,v\n01.Jan.2024,1\n02.Jan.2024,2\n', { timeFormat: 'dd.MMM.yyyy' })
    expect(dataset).toMatchObject({ rows: 2, frequency: 'daily', start: '2024-01-01T00:00:00.000Z' })
  })

  it('takes --time-column year,month for time in two columns, whatever their names', async () => {
    const dataset = await importText('y,m,v\n2020,11,1\n2020,12,2\n2021,1,3\n', { timeColumn: 'y,m' })
    expect(dataset).toMatchObject({ rows: 3, frequency: 'monthly', end: '2021-01-01T00:00:00.000Z', columns: [{ name: 'v' }] })
  })

  it('combines a date column and a time column, or an hour column', async () => {
    const dataset = await importText('date,time,load\n2024-03-01,00:00,1\n2024-03-01,01:00,2\n2024-03-01,02:00,3\n')
    expect(dataset).toMatchObject({ rows: 3, frequency: 'hourly', timeColumn: 'date,time', end: '2024-03-01T02:00:00.000Z' })
    expect(await importText('date,hour,load\n2024-03-01,22,1\n2024-03-01,23,2\n2024-03-02,0,3\n')).toMatchObject({ rows: 3, frequency: 'hourly', timeColumn: 'date,hour', end: '2024-03-02T00:00:00.000Z' })
  })

  it('reads compact yyyyMMddHHmm in a column named for dates, and refuses the same digits in one named time', async () => {
    const content = (name: string) => `${name},v\n199501011200,1\n199501011300,2\n199501011400,3\n`
    expect(await importText(content('datetime'))).toMatchObject({ frequency: 'hourly', start: '1995-01-01T12:00:00.000Z' })
    const error = await importText(content('time')).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CSV_AMBIGUOUS_TIME', details: { candidates: ['yyyyMMddHHmm', 'epoch'] } })
    expect(await importText(content('time'), { timeFormat: 'yyyyMMddHHmm' })).toMatchObject({ rows: 3, frequency: 'hourly' })
  })

  it('refuses --reshape year-by-month on another table, and a name that is not an IANA zone', async () => {
    expect(await codeOf(importText('time,v\n2024-01-01,1\n', { reshape: 'year-by-month' }))).toBe('CSV_BAD_RESHAPE')
    expect(await codeOf(importText('time,v\n2024-01-01,1\n', { timeZone: 'Europe/Atlantis' }))).toBe('CSV_BAD_TIMEZONE')
  })
})
