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

  it('reports the delimiter, decimal mark and encoding it read with, detected or chosen', async () => {
    const path = csvFile(Buffer.from('Datum;Temperatur \xb0C\r\n13.03.2024;3,5\r\n14.03.2024;4,1\r\n', 'latin1'))
    const detected = await previewImport({ path, timeFormat: 'DD.MM.YYYY' })
    expect(detected.read).toEqual({ delimiter: ';', decimal: ',', encoding: 'windows-1252', undecided: [] })
    expect(detected.settings).toMatchObject({ delimiter: '', decimal: '', encoding: '' })
    expect(detected.result?.columns[0]).toMatchObject({ name: 'Temperatur °C', kind: 'numeric' })
    const chosen = await previewImport({ path, timeFormat: 'DD.MM.YYYY', decimal: '.' })
    expect(chosen.read.decimal).toBe('.')
    expect(chosen.settings.decimal).toBe('.')
    expect(chosen.error?.code).toBe('CSV_NO_NUMERIC_COLUMNS')
  })

  it('opens on a first guess with the error when two delimiters fit, and reads the file once one is chosen', async () => {
    const path = fixture('dwd-daily-units.csv')
    const undecided = await previewImport({ path })
    expect(undecided.error?.code).toBe('CSV_AMBIGUOUS_DELIMITER')
    expect(undecided.read).toMatchObject({ delimiter: ',', undecided: ['delimiter'] })
    expect(undecided.header).toEqual(['Datum;Temperatur (°C', 'Mittel);Niederschlag (mm', 'Summe)'])
    const chosen = await previewImport({ path, delimiter: ';', timeFormat: 'DD.MM.YYYY' })
    expect(chosen.error).toBeUndefined()
    expect(chosen.read).toEqual({ delimiter: ';', decimal: ',', encoding: 'utf-8', undecided: [] })
    expect(chosen.rows[0]).toEqual(['13.03.2024', '3,4', '0,2'])
    expect(chosen.result).toMatchObject({ rows: 14, frequency: 'daily', columns: [{ name: 'Temperatur (°C, Mittel)', kind: 'numeric' }, { name: 'Niederschlag (mm, Summe)', kind: 'numeric' }] })
  })

  it('opens on Windows-1252 with the error when bytes past the sample are not UTF-8', async () => {
    const ascii = Array.from({ length: 6000 }, (_, i) => `${new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10)};Basel;${i % 10},5`).join('\n')
    const path = csvFile(Buffer.concat([Buffer.from(`Datum;Station;Wert\n${ascii}\n`), Buffer.from('2016-06-05;Z\xfcrich;1,5\n', 'latin1')]))
    const undecided = await previewImport({ path })
    expect(undecided.read).toEqual({ delimiter: ';', decimal: ',', encoding: 'windows-1252', undecided: ['encoding'] })
    expect(undecided.settings.encoding).toBe('')
    expect(undecided.error?.code).toBe('CSV_ENCODING')
    expect(undecided.rows[0]).toEqual(['2000-01-01', 'Basel', '0,5'])
    const chosen = await previewImport({ path, encoding: 'windows-1252' })
    expect(chosen.error).toBeUndefined()
    expect(chosen.result?.rows).toBe(6001)
    expect(chosen.read).toEqual({ delimiter: ';', decimal: ',', encoding: 'windows-1252', undecided: [] })
  })

  it('reads with the encoding chosen, never a guess over it, and shows its error with no rows when it cannot read the file', async () => {
    // 61 bytes of UTF-8: an odd count no UTF-16 reads
    const path = csvFile('time;a;b\n2024-01-01;1,5;2\n2024-01-02;2,5;3\n2024-01-03;2,5;33\n')
    const chosen = await previewImport({ path, encoding: 'utf-16le' })
    expect(chosen.settings.encoding).toBe('utf-16le')
    expect(chosen.read).toMatchObject({ encoding: 'utf-16le', undecided: ['delimiter', 'decimal'] })
    expect(chosen.error?.code).toBe('CSV_ENCODING')
    expect(chosen.rows).toEqual([])
    expect(chosen.result).toBeUndefined()
  })
})
