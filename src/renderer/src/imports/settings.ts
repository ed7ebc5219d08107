import type { ImportPreview, ImportRequest, NamedFrequency } from '../../../shared/api'

/** One dropdown of the import preview. */
export type PreviewSetting = 'timeColumn' | 'timeFormat' | 'frequency' | 'timeZone' | 'seriesColumn'

/**
 * The request after one dropdown changed. Choosing another time column, format, zone or
 * series column lets the frequency be inferred again (a stale override would survive a
 * change that makes it wrong); an `auto`, `UTC` or empty choice leaves that setting to detection.
 */
export function withSetting(request: ImportRequest, setting: PreviewSetting, value: string): ImportRequest {
  const next: ImportRequest = { ...request }
  if (setting !== 'frequency') delete next.frequency
  const clear = value === '' || (setting === 'timeFormat' && value === 'auto') || (setting === 'timeZone' && value === 'UTC')
  if (clear) {
    delete next[setting]
    return next
  }
  if (setting === 'frequency') next.frequency = value as NamedFrequency
  else next[setting] = value
  // another time column's format is detected afresh
  if (setting === 'timeColumn') delete next.timeFormat
  return next
}

/** The value each dropdown shows: the request's choice, else what the preview detected. */
export function shownSettings(preview: ImportPreview): Record<PreviewSetting, string> {
  const s = preview.settings
  return { timeColumn: s.timeColumn, timeFormat: s.timeFormat, frequency: s.frequency, timeZone: s.timeZone, seriesColumn: s.seriesColumn ?? '' }
}
