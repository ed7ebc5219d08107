import type { ImportPreview, ImportRequest, NamedFrequency, TextEncoding } from '../../../shared/api'
import { delimiterText } from '../../../shared/delimiters'
import type { DialogSetting } from '../../../shared/import-fields'

/** One dropdown of the import preview (src/shared/import-fields.ts lists them, in order). */
export type PreviewSetting = DialogSetting

/** Settings that name a column: detected afresh when the header may read otherwise. */
const COLUMN_SETTINGS = ['timeColumn', 'seriesColumn'] as const

/**
 * The request after one dropdown changed. Choosing any other setting lets the frequency be
 * inferred again (a stale override would survive a change that makes it wrong); another time
 * column has its format detected afresh, and another delimiter or encoding, which can split or
 * spell the header otherwise, has the time and series columns detected afresh (a chosen time
 * format stays: a day-first file is day-first however it is split). An `auto`, `UTC` or empty
 * choice leaves that setting to detection.
 */
export function withSetting(request: ImportRequest, setting: PreviewSetting, value: string): ImportRequest {
  const next: ImportRequest = { ...request }
  if (setting !== 'frequency') delete next.frequency
  if (setting === 'timeColumn') delete next.timeFormat
  if (setting === 'delimiter' || setting === 'encoding') for (const column of COLUMN_SETTINGS) delete next[column]
  const clear = value === '' || (setting === 'timeFormat' && value === 'auto') || (setting === 'timeZone' && value === 'UTC')
  if (clear) delete next[setting]
  else if (setting === 'frequency') next.frequency = value as NamedFrequency
  else if (setting === 'decimal') next.decimal = value as '.' | ','
  else if (setting === 'encoding') next.encoding = value as TextEncoding
  else next[setting] = value
  return next
}

/** The value each dropdown shows: the request's choice, else what the preview detected ('' for the dialect: detected). */
export function shownSettings(preview: ImportPreview): Record<PreviewSetting, string> {
  const s = preview.settings
  return { timeColumn: s.timeColumn, timeFormat: s.timeFormat, frequency: s.frequency, timeZone: s.timeZone, seriesColumn: s.seriesColumn ?? '', delimiter: s.delimiter, decimal: s.decimal, encoding: s.encoding }
}

export interface Choice {
  value: string
  text: string
}

/** A dropdown's values with the chosen one first when they do not offer it ('' chooses nothing). */
export function withChosen<T extends string>(values: readonly T[], chosen: T | ''): T[] {
  return chosen === '' || values.includes(chosen) ? [...values] : [chosen, ...values]
}

/** Every dropdown's options, the dialect's as dialectChoices has them. */
export function previewChoices(preview: ImportPreview): Record<PreviewSetting, Choice[]> {
  const { options, settings } = preview
  const plain = (values: readonly string[]): Choice[] => values.map((value) => ({ value, text: value }))
  return {
    timeColumn: [{ value: '', text: 'detect' }, ...plain(withChosen(options.timeColumns, settings.timeColumn))],
    timeFormat: options.timeFormats.map((value) => ({ value, text: value === 'auto' ? `detected${settings.timeFormatLabel ? `: ${settings.timeFormatLabel}` : ''}` : value })),
    frequency: plain(withChosen<string>(options.frequencies, settings.frequency)),
    timeZone: plain(options.timeZones),
    seriesColumn: [{ value: '', text: 'none (one series per column)' }, ...plain(options.seriesColumns)],
    ...dialectChoices(preview),
  }
}

/**
 * The delimiter, decimal mark and encoding dropdowns' options: first detection (with what it
 * found, or that it could not decide and what the rows are read with meanwhile), then each value.
 */
export function dialectChoices(preview: ImportPreview): Record<'delimiter' | 'decimal' | 'encoding', Choice[]> {
  const { settings, read, options } = preview
  const detect = (setting: 'delimiter' | 'decimal' | 'encoding', found: string): Choice => {
    if (settings[setting] !== '') return { value: '', text: 'detect' }
    return { value: '', text: read.undecided.includes(setting) ? `undecided, read as ${found}` : `detected: ${found}` }
  }
  const list = (values: readonly string[], chosen: string, text: (value: string) => string): Choice[] => withChosen(values, chosen).map((value) => ({ value, text: text(value) }))
  const decimalText = (mark: string) => (mark === '.' ? 'dot (.)' : 'comma (,)')
  return {
    delimiter: [detect('delimiter', delimiterText(read.delimiter)), ...list(options.delimiters, settings.delimiter, delimiterText)],
    decimal: [detect('decimal', decimalText(read.decimal)), ...list(options.decimals, settings.decimal, decimalText)],
    encoding: [detect('encoding', read.encoding), ...list(options.encodings, settings.encoding, (name) => name)],
  }
}
