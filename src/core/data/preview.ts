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

/**
 * What importing the file with these settings would give — the first rows, the time
 * column(s), format, frequency, zone and series column, the columns with kind and missing
 * count — read from the whole file as the import reads it, but never written. Settings that
 * cannot import the file come back as `error` beside the rows and choices, so the person
 * can change a dropdown; a file that is not a readable CSV at all is refused as the import refuses it.
 */
export async function previewImport(request: ImportRequest, options: ImportOptions = {}): Promise<ImportPreview> {
  const { prelude, undecided } = await readGuessing(request, options)
  const { names, sampleRows, fileName, dialect, encoding } = prelude
  const decimalCode = dialect.decimal === ',' ? 44 : 46
  const base = {
    fileName,
    header: names,
    rows: sampleRows.slice(0, PREVIEW_ROWS),
    read: { delimiter: dialect.delimiter, decimal: dialect.decimal, encoding: encoding.encoding, undecided },
    options: {
      delimiters: [...DELIMITERS],
      decimals: ['.', ','] as Array<'.' | ','>,
      encodings: [...TEXT_ENCODINGS],
      timeColumns: [...names],
      timeFormats: [...FIXED_FORMATS, ...KNOWN_TOKENS],
      seriesColumns: seriesCandidates(names, sampleRows, decimalCode).map((i) => names[i]!),
      timeZones: timeZones(),
      frequencies: [...NAMED_FREQUENCIES] as Frequency[],
    },
  }
  const unresolved: ImportPreview['settings'] = {
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
  try {
    const { layout, dataset } = await analyseCsv(request, options)
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
    return { ...base, settings: unresolved, error: toErrorData(error) }
  }
}

type DialectSetting = 'delimiter' | 'decimal' | 'encoding'

/** What the preview reads with in place of a setting detection could not settle. */
function guessFor(error: unknown): { setting: DialectSetting; guess: Partial<ImportRequest> } | undefined {
  if (hasErrorCode(error, 'CSV_AMBIGUOUS_DELIMITER')) {
    const candidates = error.details?.candidates
    return { setting: 'delimiter', guess: { delimiter: Array.isArray(candidates) && typeof candidates[0] === 'string' ? candidates[0] : ',' } }
  }
  if (hasErrorCode(error, 'CSV_AMBIGUOUS_DECIMAL')) return { setting: 'decimal', guess: { decimal: '.' } }
  if (hasErrorCode(error, 'CSV_ENCODING')) return { setting: 'encoding', guess: { encoding: 'windows-1252' } }
  return undefined
}

/**
 * The file's prelude; when its delimiter, decimal mark or encoding cannot be settled (two
 * delimiters fit, bytes that are not UTF-8), the prelude read with a first guess for it, so
 * the dialog opens with rows and a dropdown to choose from instead of refusing the file (the
 * import with the request's own settings then reports the error beside them). A guess that
 * does not read either leaves the first error.
 */
async function readGuessing(request: ImportRequest, options: ImportOptions) {
  const undecided: DialectSetting[] = []
  let guessed = request
  let first: unknown
  for (;;) {
    try {
      return { prelude: await readPrelude(guessed, options), undecided }
    } catch (error) {
      first ??= error
      const next = guessFor(error)
      if (next === undefined || undecided.includes(next.setting)) throw first
      undecided.push(next.setting)
      guessed = { ...guessed, ...next.guess }
    }
  }
}
