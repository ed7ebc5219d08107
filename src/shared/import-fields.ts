import type { ImportRequest } from './api-schemas'

/** An import setting: an ImportRequest field but the file itself. */
export type ImportFieldKey = Exclude<keyof ImportRequest, 'path'>

export interface ImportField {
  key: ImportFieldKey
  /** The `clipcast import` flag without dashes; null: not a flag (the dialog's dropdown only). */
  flag: string | null
  /** The flag's value placeholder; without a flag, how the CLI names it. */
  value: string
  /**
   * The import dialog's label (src/renderer/src/components/ImportPreview.vue shows its
   * dropdowns by these). A setting the dialog does not offer (it is detected, or the file is
   * saved otherwise) is named in words.
   */
  label: string
  /** Whether the import dialog has a dropdown for it. */
  inDialog: boolean
}

const FIELDS: Record<ImportFieldKey, Omit<ImportField, 'key'>> = {
  timeColumn: { flag: 'time-column', value: '<name>', label: 'Time column', inDialog: true },
  timeFormat: { flag: 'time-format', value: '<format>', label: 'Time format', inDialog: true },
  frequency: { flag: null, value: 'the frequency', label: 'Frequency', inDialog: true },
  timeZone: { flag: 'timezone', value: '<zone>', label: 'Time zone', inDialog: true },
  seriesColumn: { flag: 'series-column', value: '<name>', label: 'Series column', inDialog: true },
  delimiter: { flag: 'delimiter', value: '<char>', label: 'Delimiter', inDialog: true },
  decimal: { flag: 'decimal', value: '<mark>', label: 'Decimal mark', inDialog: true },
  encoding: { flag: 'encoding', value: '<name>', label: 'Encoding', inDialog: true },
  reshape: { flag: 'reshape', value: '<layout>', label: 'reshaping', inDialog: false },
  sample: { flag: 'sample', value: '', label: 'the sample dataset', inDialog: false },
  name: { flag: 'name', value: '<name>', label: 'the name', inDialog: false },
}

/**
 * Every import setting described once: its `clipcast import` flag and the import dialog's
 * label. They are not RunConfig fields (src/shared/run-fields.ts has those); a hint names
 * either kind as `{key}` and lists it in `details.settings` (src/shared/setting-hints.ts).
 */
export const IMPORT_FIELD = Object.fromEntries(Object.entries(FIELDS).map(([key, text]) => [key, { key, ...text }])) as Record<ImportFieldKey, ImportField>
