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
  /** Whether the import dialog has a dropdown for it (it is in DIALOG_SETTINGS). */
  inDialog: boolean
}

/** The import dialog's dropdowns, in the order it shows them. */
export const DIALOG_SETTINGS = ['timeColumn', 'timeFormat', 'frequency', 'timeZone', 'seriesColumn', 'delimiter', 'decimal', 'encoding'] as const satisfies readonly ImportFieldKey[]
export type DialogSetting = (typeof DIALOG_SETTINGS)[number]

const FIELDS: Record<ImportFieldKey, Omit<ImportField, 'key' | 'inDialog'>> = {
  timeColumn: { flag: 'time-column', value: '<name>', label: 'Time column' },
  timeFormat: { flag: 'time-format', value: '<format>', label: 'Time format' },
  frequency: { flag: null, value: 'the frequency', label: 'Frequency' },
  timeZone: { flag: 'timezone', value: '<zone>', label: 'Time zone' },
  seriesColumn: { flag: 'series-column', value: '<name>', label: 'Series column' },
  delimiter: { flag: 'delimiter', value: '<char>', label: 'Delimiter' },
  decimal: { flag: 'decimal', value: '<mark>', label: 'Decimal mark' },
  encoding: { flag: 'encoding', value: '<name>', label: 'Encoding' },
  reshape: { flag: 'reshape', value: '<layout>', label: 'reshaping' },
  sample: { flag: 'sample', value: '', label: 'the sample dataset' },
  name: { flag: 'name', value: '<name>', label: 'the name' },
}

/**
 * Every import setting described once: its `clipcast import` flag and the import dialog's
 * label. They are not RunConfig fields (src/shared/run-fields.ts has those); a hint names
 * either kind as `{key}` and lists it in `details.settings` (src/shared/setting-hints.ts).
 */
export const IMPORT_FIELD = Object.fromEntries(
  Object.entries(FIELDS).map(([key, text]) => [key, { key, ...text, inDialog: (DIALOG_SETTINGS as readonly string[]).includes(key) }]),
) as Record<ImportFieldKey, ImportField>
