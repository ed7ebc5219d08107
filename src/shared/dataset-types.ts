import type { ErrorData } from './errors'

/** The datasets of the contract (src/shared/api.ts): what an import makes, what a preview shows, a series read back. */

export type Frequency = 'secondly' | 'minutely' | 'hourly' | 'daily' | 'business-daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular' | `every ${number}ms`

export interface Warning {
  code: string
  message: string
}

export interface DatasetColumn {
  name: string
  kind: 'numeric' | 'text'
  missing: number
  stats?: { min: number; max: number; mean: number; std: number }
}

export interface DatasetSummary {
  id: number
  name: string
  rows: number
  timeColumn: string
  frequency: Frequency
  start: string
  end: string
  columns: DatasetColumn[]
  warnings: Warning[]
  sourceName?: string
  sha256?: string
  importedAt?: string
  /** Luxon tokens the source wrote its times in (`yyyy'Q'q`); exports write them back that way. Absent: ISO 8601. */
  timeFormat?: string
  /** IANA zone of the source's wall-clock times (stored in UTC). */
  timeZone?: string
}

export type NamedFrequency = 'secondly' | 'minutely' | 'hourly' | 'daily' | 'business-daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular'
export const NAMED_FREQUENCIES: readonly NamedFrequency[] = ['secondly', 'minutely', 'hourly', 'daily', 'business-daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular']

/** The encodings an import reads (ImportRequest's `encoding`). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252']

/** What an import would make of a file, before anything is written (the settings are the request's, the rest detected). */
export interface ImportPreview {
  fileName: string
  header: string[]
  /** The first data rows as text. */
  rows: string[][]
  /** What was detected or chosen; each is a dropdown in the preview. */
  settings: {
    /** One column, or several comma-separated (`year,quarter`). */
    timeColumn: string
    /** The format's Luxon tokens, or iso / epoch / year. */
    timeFormat: string
    timeFormatLabel: string
    timeZone: string
    seriesColumn: string | null
    reshape: 'year-by-month' | null
    frequency: Frequency
    /** The request's delimiter, decimal mark and encoding; '' leaves each to detection (`read` has what was used). */
    delimiter: string
    decimal: '' | '.' | ','
    encoding: '' | TextEncoding
  }
  /**
   * What the rows shown were split and decoded with: the choice, else what was detected;
   * `undecided` names those detection could not settle (an ambiguity, or bytes that are not
   * UTF-8), shown with a first guess while `error` asks for a choice.
   */
  read: { delimiter: string; decimal: '.' | ','; encoding: TextEncoding; undecided: Array<'delimiter' | 'decimal' | 'encoding'> }
  /** The values each dropdown offers. */
  options: { timeColumns: string[]; timeFormats: string[]; seriesColumns: string[]; timeZones: string[]; frequencies: Frequency[]; delimiters: string[]; decimals: Array<'.' | ','>; encodings: TextEncoding[] }
  /** The dataset the import would make; absent when these settings cannot import the file (then `error` says why). */
  result?: { rows: number; frequency: Frequency; start: string; end: string; columns: DatasetColumn[]; warnings: Warning[] }
  error?: ErrorData
  /**
   * The dataset these exact bytes were imported as before (a dataset is known by its source's
   * SHA-256): importing returns it as it was read, whatever the settings shown.
   */
  alreadyImported?: { id: number; name: string }
}

export interface Series {
  datasetId: number
  /** ISO 8601 UTC timestamps. */
  time: string[]
  columns: Record<string, Array<number | null>>
}
