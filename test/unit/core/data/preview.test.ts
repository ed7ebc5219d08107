import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { previewImport } from '../../../../src/core/data/preview'
import { csvFile } from './helpers'

const fixture = (name: string): string => join(__dirname, '../../../fixtures/csv', name)

describe('previewImport', () => {
  it('shows the first rows, the detected time columns, frequency and columns with missing counts', async () => {
    const preview = await previewImport({ path: fixture('macro-year-quarter.csv') })
    expect(preview.header).toEqual(['year', 'quarter', 'realgdp', 'realcons', 'infl'])
    expect(preview.rows[0]).toEqual(['1959', '1', '2710.3', '1707.4', '0.5'])
    expect(preview.settings).toMatchObject({ timeColumn: 'year,quarter', timeFormat: 'auto', timeFormatLabel: 'year + quarter columns', frequency: 'quarterly', timeZone: 'UTC', seriesColumn: null })
    expect(preview.options.timeColumns[0]).toBe('year,quarter')
    expect(preview.options.timeZones).toContain('Europe/Berlin')
    expect(preview.result).toMatchObject({ rows: 12, columns: [{ name: 'realgdp', missing: 0 }, { name: 'realcons', missing: 0 }, { name: 'infl', kind: 'numeric', missing: 1 }] })
  })

  it('returns settings that cannot import as an error beside the rows, and the series column the error names as a choice', async () => {
    const preview = await previewImport({ path: fixture('stocks-long.csv') })
    expect(preview.error).toMatchObject({ code: 'DUPLICATE_TIMESTAMPS', details: { seriesColumn: 'symbol' } })
    expect(preview.options.seriesColumns).toEqual(['symbol'])
    expect(preview.rows).toHaveLength(17)
    const pivoted = await previewImport({ path: fixture('stocks-long.csv'), seriesColumn: 'symbol' })
    expect(pivoted.result?.columns.map((c) => c.name)).toEqual(['AAPL', 'MSFT', 'IBM'])
  })

  it('takes another time column and a frequency override', async () => {
    const path = csvFile('a,b,v\n2024-01-01,2024-02-01,1\n2024-01-02,2024-02-03,2\n')
    expect((await previewImport({ path })).settings).toMatchObject({ timeColumn: 'a', frequency: 'daily' })
    expect((await previewImport({ path, timeColumn: 'b', frequency: 'weekly' })).settings).toMatchObject({ timeColumn: 'b', frequency: 'weekly' })
  })
})
