import { describe, expect, it } from 'vitest'
import { readTimes } from '../../../../src/core/store/datasets'
import { continueZonedTimes, wallClockResolver } from '../../../../src/core/data/time-zone'
import { importText, tempWorkspace } from './helpers'

const H = 3_600_000

describe('--timezone: wall-clock times stored in UTC', () => {
  it('reads Berlin summer and winter times with their offsets', () => {
    const resolve = wallClockResolver('Europe/Berlin', 'f.csv', 'time')
    expect(resolve(Date.UTC(2024, 6, 1, 12), 2)).toBe(Date.UTC(2024, 6, 1, 10))
    expect(resolve(Date.UTC(2024, 11, 1, 12), 3)).toBe(Date.UTC(2024, 11, 1, 11))
  })

  it('resolves the hour the autumn change repeats by row order', async () => {
    const db = tempWorkspace()
    // 27 October 2024: at 03:00 CEST the clocks go back to 02:00 CET
    const content = 'time,load\n2024-10-27 01:30,1\n2024-10-27 02:00,2\n2024-10-27 02:30,3\n2024-10-27 02:00,4\n2024-10-27 02:30,5\n2024-10-27 03:00,6\n'
    const dataset = await importText(content, { timeZone: 'Europe/Berlin' }, {}, db)
    expect(dataset).toMatchObject({ rows: 6, timeZone: 'Europe/Berlin', frequency: 'every 1800000ms' })
    expect([...readTimes(db, dataset.id)].map((t) => (t - Date.UTC(2024, 9, 26, 23, 30)) / H)).toEqual([0, 0.5, 1, 1.5, 2, 2.5])
  })

  it('infers daily and monthly series of local midnights as such although their UTC hours change with DST', async () => {
    const days = Array.from({ length: 10 }, (_, d) => `${new Date(Date.UTC(2024, 2, 26 + d)).toISOString().slice(0, 10)},${d}`)
    const daily = await importText(`day,v\n${days.join('\n')}\n`, { timeZone: 'Europe/Berlin' })
    expect(daily).toMatchObject({ rows: 10, frequency: 'daily', warnings: [] })
    const rows = Array.from({ length: 12 }, (_, m) => `2024-${String(m + 1).padStart(2, '0')}-01,${m}`)
    const db = tempWorkspace()
    const dataset = await importText(`month,v\n${rows.join('\n')}\n`, { timeZone: 'Europe/Berlin' }, {}, db)
    expect(dataset).toMatchObject({ rows: 12, frequency: 'monthly', start: '2023-12-31T23:00:00.000Z' })
    expect(readTimes(db, dataset.id)[6]).toBe(Date.UTC(2024, 5, 30, 22))
  })

  it('refuses a spring time that does not exist, with its line', async () => {
    // 31 March 2024: 02:00 CET jumps to 03:00 CEST
    const error = await importText('time,load\n2024-03-31 01:30,1\n2024-03-31 02:30,2\n2024-03-31 03:30,3\n', { timeZone: 'Europe/Berlin' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CSV_NONEXISTENT_TIME', details: { line: 3 } })
  })

  it('leaves times with their own offset, and epoch numbers, as they are', async () => {
    const db = tempWorkspace()
    const dataset = await importText('time,v\n2024-07-01T12:00:00Z,1\n2024-07-01T15:00:00+02:00,2\n', { timeZone: 'Europe/Berlin' }, {}, db)
    expect([...readTimes(db, dataset.id)]).toEqual([Date.UTC(2024, 6, 1, 12), Date.UTC(2024, 6, 1, 13)])
  })
})

describe('continueZonedTimes', () => {
  it('continues local midnights across the spring change, and hours in UTC', () => {
    const history = Float64Array.from([Date.UTC(2024, 2, 27, 23), Date.UTC(2024, 2, 28, 23), Date.UTC(2024, 2, 29, 23)])
    expect(continueZonedTimes(history, 'daily', 3, undefined, 'Europe/Berlin')).toEqual([Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 22), Date.UTC(2024, 3, 1, 22)])
    expect(continueZonedTimes(history, 'daily', 2, undefined, undefined)).toEqual([Date.UTC(2024, 2, 30, 23), Date.UTC(2024, 2, 31, 23)])
    const hours = Float64Array.from([Date.UTC(2024, 2, 31, 0), Date.UTC(2024, 2, 31, 1)])
    expect(continueZonedTimes(hours, 'hourly', 2, undefined, 'Europe/Berlin')).toEqual([Date.UTC(2024, 2, 31, 2), Date.UTC(2024, 2, 31, 3)])
  })
})
