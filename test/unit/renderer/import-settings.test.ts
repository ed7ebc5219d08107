import { describe, expect, it } from 'vitest'
import { dialectChoices, previewChoices, withChosen, withSetting } from '../../../src/renderer/src/imports/settings'
import type { ImportPreview } from '../../../src/shared/api'
import { DIALOG_SETTINGS, IMPORT_FIELD } from '../../../src/shared/import-fields'

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

describe('previewChoices', () => {
  const preview: ImportPreview = {
    fileName: 'x.csv',
    header: ['t', 'v'],
    rows: [],
    settings: { timeColumn: 'date,time', timeFormat: 'auto', timeFormatLabel: 'ISO 8601', timeZone: 'UTC', seriesColumn: null, reshape: null, frequency: 'every 90000ms', delimiter: '', decimal: '', encoding: '' },
    read: { delimiter: ',', decimal: '.', encoding: 'utf-8', undecided: [] },
    options: { timeColumns: ['t', 'v'], timeFormats: ['auto', 'iso'], seriesColumns: [], timeZones: ['UTC'], frequencies: ['daily'], delimiters: [','], decimals: ['.'], encodings: ['utf-8'] },
  }

  it('has options for every dropdown the import fields mark as the dialog\'s, and for no other', () => {
    expect(Object.keys(previewChoices(preview)).sort()).toEqual([...DIALOG_SETTINGS].sort())
    expect(Object.values(IMPORT_FIELD).filter((field) => field.inDialog).map((field) => field.key).sort()).toEqual([...DIALOG_SETTINGS].sort())
  })

  it('offers a chosen or detected value first when the list does not hold it', () => {
    const choices = previewChoices(preview)
    expect(choices.timeColumn.map((c) => c.value)).toEqual(['', 'date,time', 't', 'v'])
    expect(choices.frequency.map((c) => c.value)).toEqual(['every 90000ms', 'daily'])
    expect(withChosen(['a', 'b'], 'b')).toEqual(['a', 'b'])
    expect(withChosen(['a', 'b'], '')).toEqual(['a', 'b'])
  })
})
