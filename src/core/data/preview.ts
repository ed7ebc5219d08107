import { basename } from 'node:path'
import type { Frequency, ImportPreview, ImportRequest } from '../../shared/api'
import { NAMED_FREQUENCIES, TEXT_ENCODINGS } from '../../shared/api'
import { ClipcastError, hasErrorCode, toErrorData } from '../../shared/errors'
import { DELIMITERS } from './dialect'
import { analyseCsv, readPrelude, seriesCandidates, type ImportOptions } from './import'
import { KNOWN_TOKENS } from './time-formats'

const PREVIEW_ROWS = 20
const FIXED_FORMATS = ['auto', 'iso', 'epoch-s', 'epoch-ms', 'year', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD/MM/YYYY HH:MM', 'MM/DD/YYYY HH:MM', 'DD.MM.YYYY']

function timeZones(): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...all.filter((z) => z !== 'UTC')]
}

type Prelude = Awaited<ReturnType<typeof readPrelude>>
type DialectSetting = 'delimiter' | 'decimal' | 'encoding'

/**
 * What importing the file with these settings would give — the first rows, the time
 * column(s), format, frequency, zone and series column, the columns with kind and missing
 * count — read from the whole file as the import reads it, but never written. Settings that
 * cannot import the file come back as `error` beside the rows and choices, so the person
 * can change a dropdown; a file that is not a readable CSV at all is refused as the import refuses it.
 */
export async function previewImport(request: ImportRequest, options: ImportOptions = {}): Promise<ImportPreview> {
  const reading = await readGuessing(request, options)
  const unresolved = unresolvedSettings(request)
  if (reading.prelude === undefined) return { ...unreadable(request), settings: unresolved, error: toErrorData(reading.error) }
  try {
    const { layout, dataset } = await analyseCsv(request, options)
    const base = previewBase(reading.prelude, reading.undecided)
    const timeColumn = layout.time.names.join(',')
    if (!base.options.timeColumns.includes(timeColumn)) base.options.timeColumns.unshift(timeColumn)
    return {
      ...base,
      settings: { ...unresolved, timeColumn, timeFormatLabel: layout.time.format.label, reshape: layout.yearByMonth ? 'year-by-month' : null, frequency: dataset.frequency },
      result: {
        rows: dataset.times.length,
        frequency: dataset.frequency,
        start: new Date(dataset.times[0]!).toISOString(),
        end: new Date(dataset.times[dataset.times.length - 1]!).toISOString(),
        columns: dataset.columns.map(({ name, kind, missing }) => ({ name, kind, missing })),
        warnings: dataset.warnings,
      },
    }
  } catch (error) {
    if (!(error instanceof ClipcastError) || hasErrorCode(error, 'IMPORT_CANCELLED')) throw error
    const { prelude, undecided } = await guessPastSample(error, request, reading, options)
    return { ...previewBase(prelude, undecided), settings: unresolved, error: toErrorData(error) }
  }
}

function unresolvedSettings(request: ImportRequest): ImportPreview['settings'] {
  return {
    timeColumn: request.timeColumn ?? '',
    timeFormat: request.timeFormat ?? 'auto',
    timeFormatLabel: '',
    timeZone: request.timeZone ?? 'UTC',
    seriesColumn: request.seriesColumn ?? null,
    reshape: request.reshape === 'year-by-month' ? 'year-by-month' : null,
    frequency: request.frequency ?? 'irregular',
    delimiter: request.delimiter ?? '',
    decimal: request.decimal ?? '',
    encoding: request.encoding ?? '',
  }
}

function previewBase(prelude: Prelude, undecided: DialectSetting[]) {
  const { names, sampleRows, fileName, dialect, encoding } = prelude
  const decimalCode = dialect.decimal === ',' ? 44 : 46
  return {
    fileName,
    header: names,
    rows: sampleRows.slice(0, PREVIEW_ROWS),
    read: { delimiter: dialect.delimiter, decimal: dialect.decimal, encoding: encoding.encoding, undecided },
    options: { ...dropdownOptions(), timeColumns: [...names], seriesColumns: seriesCandidates(names, sampleRows, decimalCode).map((i) => names[i]!) },
  }
}

function dropdownOptions(): ImportPreview['options'] {
  return {
    delimiters: [...DELIMITERS],
    decimals: ['.', ','],
    encodings: [...TEXT_ENCODINGS],
    timeColumns: [],
    timeFormats: [...FIXED_FORMATS, ...KNOWN_TOKENS],
    seriesColumns: [],
    timeZones: timeZones(),
    frequencies: [...NAMED_FREQUENCIES] as Frequency[],
  }
}

/**
 * A file the request's own delimiter, decimal mark or encoding cannot read at all: no rows;
 * `read` has the choices, and the settings left to detection are undecided (nothing was read).
 */
function unreadable(request: ImportRequest): Omit<ImportPreview, 'settings'> {
  const path = request.path ?? ''
  return {
    fileName: basename(path),
    header: [],
    rows: [],
    read: {
      delimiter: request.delimiter ?? DELIMITERS[0],
      decimal: request.decimal ?? '.',
      encoding: request.encoding ?? TEXT_ENCODINGS[0]!,
      undecided: DIALECT_SETTINGS.filter((setting) => request[setting] === undefined),
    },
    options: dropdownOptions(),
  }
}

const DIALECT_SETTINGS: readonly DialectSetting[] = ['delimiter', 'decimal', 'encoding']

/** The dialect setting a read error is about, and what the preview reads with in its place while detection cannot settle it. */
function guessFor(error: unknown): { setting: DialectSetting; guess: Partial<ImportRequest> } | undefined {
  if (hasErrorCode(error, 'CSV_AMBIGUOUS_DELIMITER')) {
    const candidates = error.details?.candidates
    return { setting: 'delimiter', guess: { delimiter: Array.isArray(candidates) && typeof candidates[0] === 'string' ? candidates[0] : ',' } }
  }
  if (hasErrorCode(error, 'CSV_AMBIGUOUS_DECIMAL')) return { setting: 'decimal', guess: { decimal: '.' } }
  if (hasErrorCode(error, 'CSV_ENCODING')) return { setting: 'encoding', guess: { encoding: 'windows-1252' } }
  return undefined
}

type Reading = { prelude: Prelude; undecided: DialectSetting[]; guessed: ImportRequest } | { prelude: undefined; error: ClipcastError }

/**
 * The file's prelude; when its delimiter, decimal mark or encoding cannot be settled (two
 * delimiters fit, bytes that are not UTF-8), the prelude read with a first guess for it, so
 * the dialog opens with rows and a dropdown to choose from instead of refusing the file (the
 * import with the request's own settings then reports the error beside them). A guess that
 * does not read either leaves the first error. A setting the request chose is never guessed
 * over: when the file does not read with the request's choices, the reading has no prelude
 * and the error, shown beside the dropdowns so the choice can be changed back.
 */
async function readGuessing(request: ImportRequest, options: ImportOptions): Promise<Reading> {
  const undecided: DialectSetting[] = []
  let guessed = request
  let first: unknown
  for (;;) {
    try {
      return { prelude: await readPrelude(guessed, options), undecided, guessed }
    } catch (error) {
      first ??= error
      const next = guessFor(error)
      if (next !== undefined && request[next.setting] === undefined && !undecided.includes(next.setting)) {
        undecided.push(next.setting)
        guessed = { ...guessed, ...next.guess }
        continue
      }
      // the choice may be why the file does not read (utf-16le for UTF-8 bytes): say so beside the dropdowns
      const chosen = DIALECT_SETTINGS.some((setting) => request[setting] !== undefined)
      if (chosen && error instanceof ClipcastError && error.code.startsWith('CSV_')) return { prelude: undefined, error }
      throw first
    }
  }
}

/**
 * After the whole file failed on a dialect setting left to detection (bytes past the sample
 * that are not UTF-8, say), that setting is undecided too, and the rows are read with its
 * first guess as readGuessing reads them (or as before, when the guess does not read).
 */
async function guessPastSample(error: unknown, request: ImportRequest, reading: Extract<Reading, { undecided: unknown }>, options: ImportOptions) {
  const next = guessFor(error)
  if (next === undefined || request[next.setting] !== undefined || reading.undecided.includes(next.setting)) return reading
  const undecided = [...reading.undecided, next.setting]
  try {
    return { prelude: await readPrelude({ ...reading.guessed, ...next.guess }, options), undecided }
  } catch (reread) {
    if (hasErrorCode(reread, 'IMPORT_CANCELLED')) throw reread
    return { prelude: reading.prelude, undecided }
  }
}
