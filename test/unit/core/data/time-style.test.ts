import { describe, expect, it } from 'vitest'
import { continueTimes } from '../../../../src/core/data/calendar'
import { timeFormatter } from '../../../../src/core/data/time-style'
import { forecastTable } from '../../../../src/core/eval/export-run'
import { importText } from './helpers'

describe('times written in the dataset\'s own style', () => {
  it('continues a quarterly series across the year and writes it back as quarters', async () => {
    const dataset = await importText('date,gdp\n2009Q1,1\n2009Q2,2\n2009Q3,3\n')
    expect(dataset).toMatchObject({ frequency: 'quarterly', timeFormat: "yyyy'Q'q" })
    const next = continueTimes([Date.parse(dataset.end)], dataset.frequency, 3)
    expect(next.map(timeFormatter(dataset))).toEqual(['2009Q4', '2010Q1', '2010Q2'])
    expect(next.map(timeFormatter(dataset, true))).toEqual(['2009-10-01T00:00:00.000Z', '2010-01-01T00:00:00.000Z', '2010-04-01T00:00:00.000Z'])
  })

  it('writes integer years as years and a Berlin wall clock with its offset', () => {
    expect(timeFormatter({ timeFormat: 'yyyy' })(Date.UTC(1730, 0, 1))).toBe('1730')
    expect(timeFormatter({ timeZone: 'Europe/Berlin' })(Date.UTC(2024, 6, 1, 10))).toBe('2024-07-01T12:00:00.000+02:00')
    expect(timeFormatter({ timeFormat: 'yyyy-MM-dd HH:mm', timeZone: 'Europe/Berlin' })(Date.UTC(2024, 11, 1, 10))).toBe('2024-12-01 11:00')
  })

  it('writes a time its style cannot hold in full rather than losing part of it', () => {
    expect(timeFormatter({ timeFormat: 'MMM-d-yyyy' })(Date.UTC(1995, 0, 2))).toBe('Jan-2-1995')
    expect(timeFormatter({ timeFormat: 'MMM-d-yyyy' })(Date.UTC(1995, 0, 2, 6))).toBe('1995-01-02T06:00:00.000Z')
    expect(timeFormatter({ timeFormat: "yyyy'Q'q" })(Date.UTC(2009, 7, 1))).toBe('2009-08-01T00:00:00.000Z')
    expect(timeFormatter({ timeFormat: 'yyyy' })(Date.UTC(1730, 5, 1))).toBe('1730-06-01T00:00:00.000Z')
  })

  it('puts the style into the forecast table and names composite time one column', () => {
    const forecast = { runId: 1, origin: '2009-07-01T00:00:00.000Z', horizon: 2, time: ['2009-10-01T00:00:00.000Z', '2010-01-01T00:00:00.000Z'], values: { gdp: [4, 5] } }
    expect(forecastTable(forecast, 'year,quarter', timeFormatter({ timeFormat: "yyyy'Q'q" }))).toEqual({ header: ['time', 'gdp'], rows: [['2009Q4', 4], ['2010Q1', 5]] })
  })
})
