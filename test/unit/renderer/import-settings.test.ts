import { describe, expect, it } from 'vitest'
import { dialectChoices, withSetting } from '../../../src/renderer/src/imports/settings'
import type { ImportPreview } from '../../../src/shared/api'

describe('withSetting', () => {
  const base = { path: 'issued:1', name: 'x' }

  it('sets a choice and clears it again with auto, UTC or none', () => {
    expect(withSetting(base, 'timeFormat', 'MMM-d-yyyy')).toEqual({ ...base, timeFormat: 'MMM-d-yyyy' })
    expect(withSetting({ ...base, timeFormat: 'yyyy' }, 'timeFormat', 'auto')).toEqual(base)
    expect(withSetting({ ...base, timeZone: 'Europe/Berlin' }, 'timeZone', 'UTC')).toEqual(base)
    expect(withSetting({ ...base, seriesColumn: 'symbol' }, 'seriesColumn', '')).toEqual(base)
  })

  it('drops a frequency override and the format when the time column changes', () => {
    expect(withSetting({ ...base, frequency: 'weekly', timeFormat: 'yyyy' }, 'timeColumn', 'b')).toEqual({ ...base, timeColumn: 'b' })
    expect(withSetting({ ...base, timeColumn: 'b' }, 'frequency', 'daily')).toEqual({ ...base, timeColumn: 'b', frequency: 'daily' })
  })

  it('detects the time and series columns afresh after another delimiter or encoding, keeping the time format', () => {
    const chosen = { ...base, timeColumn: 'Datum;Wert', seriesColumn: 'Station', timeFormat: 'DD.MM.YYYY', frequency: 'daily' as const }
    expect(withSetting(chosen, 'delimiter', ';')).toEqual({ ...base, timeFormat: 'DD.MM.YYYY', delimiter: ';' })
    expect(withSetting(chosen, 'encoding', 'windows-1252')).toEqual({ ...base, timeFormat: 'DD.MM.YYYY', encoding: 'windows-1252' })
    expect(withSetting(chosen, 'decimal', ',')).toEqual({ ...base, timeColumn: 'Datum;Wert', seriesColumn: 'Station', timeFormat: 'DD.MM.YYYY', decimal: ',' })
    expect(withSetting({ ...base, delimiter: ';' }, 'delimiter', '')).toEqual(base)
  })
})

describe('dialectChoices', () => {
  const preview = (settings: Partial<ImportPreview['settings']>, read: ImportPreview['read']): ImportPreview => ({
    fileName: 'x.csv',
    header: [],
    rows: [],
    settings: { timeColumn: '', timeFormat: 'auto', timeFormatLabel: '', timeZone: 'UTC', seriesColumn: null, reshape: null, frequency: 'daily', delimiter: '', decimal: '', encoding: '', ...settings },
    read,
    options: { timeColumns: [], timeFormats: [], seriesColumns: [], timeZones: [], frequencies: [], delimiters: [',', ';', '\t', '|'], decimals: ['.', ','], encodings: ['utf-8', 'windows-1252'] },
  })

  it('names what detection found first, a tab in words, then every choice', () => {
    const choices = dialectChoices(preview({}, { delimiter: '\t', decimal: ',', encoding: 'windows-1252', undecided: [] }))
    expect(choices.delimiter.map((c) => c.text)).toEqual(['detected: tab', 'comma (,)', 'semicolon (;)', 'tab', 'pipe (|)'])
    expect(choices.delimiter.map((c) => c.value)).toEqual(['', ',', ';', '\t', '|'])
    expect(choices.decimal.map((c) => c.text)).toEqual(['detected: comma (,)', 'dot (.)', 'comma (,)'])
    expect(choices.encoding.map((c) => c.text)).toEqual(['detected: windows-1252', 'utf-8', 'windows-1252'])
  })

  it('says detection could not decide, and offers detection back once a value is chosen', () => {
    const undecided = dialectChoices(preview({}, { delimiter: ',', decimal: '.', encoding: 'utf-8', undecided: ['delimiter'] }))
    expect(undecided.delimiter[0]).toEqual({ value: '', text: 'undecided, read as comma (,)' })
    const chosen = dialectChoices(preview({ delimiter: ':' }, { delimiter: ':', decimal: '.', encoding: 'utf-8', undecided: [] }))
    expect(chosen.delimiter.slice(0, 2)).toEqual([{ value: '', text: 'detect' }, { value: ':', text: '":"' }])
  })
})
