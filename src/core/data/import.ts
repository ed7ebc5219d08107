import { stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { DatasetColumn, DatasetSummary, ImportRequest, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { sampleDatasetPath } from '../paths'
import { writeDatasetStaged } from '../store/dataset-staging'
import { findDatasetBySha256 } from '../store/datasets'
import type { Db } from '../store/workspace'
import { columnStats, NumericColumnBuilder } from './columns'
import { emptyRowsWarning, fileError, readCsv, readHead } from './csv-read'
import { detectDialect, sampleRecords } from './dialect'
import { chooseEncoding, completeUtf8Prefix, type TextEncoding } from './encoding'
import { describeGap, inferFrequency } from './frequency'
import { withGapsFilled } from './gaps'
import { GrowableFloat64 } from './growable'
import { sanitizeHeaders } from './headers'
import { chooseTimeColumn } from './time-column'
import { gather, orderByTime } from './time-order'
import { formatTime, scaleEpoch, timeParser } from './timestamps'

export interface ImportOptions {
  onProgress?: (progress: { fraction: number; rows: number }) => void
  signal?: AbortSignal
  /** Cap on one record in characters (tests lower it). */
  maxRecordChars?: number
}

const SAMPLE_BYTES = 1 << 16
const MAX_LISTED_ROWS = 10

/**
 * Imports a CSV file into the workspace: streamed, validated, sorted by time, and written in
 * the workspace only when the whole file read cleanly (a failure or a cancel leaves nothing).
 * The same bytes imported again return the existing dataset with an ALREADY_IMPORTED warning.
 */
export async function importCsv(db: Db, request: ImportRequest, options: ImportOptions = {}): Promise<DatasetSummary> {
  const path = request.sample === true ? sampleDatasetPath() : request.path
  if (path === undefined) throw new ClipcastError('BAD_REQUEST', 'No CSV file was given to import.', { hint: 'Pass a file path, or --sample for the bundled dataset.' })
  const fileName = basename(path)
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error)
  })
  if (info.isDirectory()) throw fileError(path, Object.assign(new Error('it is a folder'), { code: 'EISDIR' }))
  if (info.size === 0) throw emptyFile(fileName)

  const head = await readHead(path, SAMPLE_BYTES)
  const encoding = chooseEncoding(head, request.encoding, fileName)
  const sampleText = sampleOf(head, encoding.encoding, encoding.bomBytes, head.length < info.size)
  if (sampleText.trim().length === 0 && head.length === info.size) throw emptyFile(fileName)
  const dialect = detectDialect(sampleText, { delimiter: request.delimiter, decimal: request.decimal })
  const sample = sampleRecords(sampleText, dialect.delimiter, dialect.fromLine)
  if (sample.length === 0) throw emptyFile(fileName)
  const { names, warnings: headerWarnings } = sanitizeHeaders(sample[0]!)
  if (sample.length === 1 && head.length === info.size) {
    // the sample stops quietly at a parse error: read the (small) file properly so a broken quote is named as such
    await readCsv(path, { dialect, encoding, fileName, maxRecordChars: options.maxRecordChars, onRecord: () => {} })
    throw headerOnly(fileName)
  }
  const time = chooseTimeColumn(names, sample.slice(1), request)
  const parseTime = timeParser(time.format)

  const width = names.length
  const valueIndices = names.map((_, i) => i).filter((i) => i !== time.index)
  // size the column arrays from the sample's bytes per line so a large file rarely regrows them
  const sampleLines = Math.max(1, sampleText.split('\n').length - 1)
  const estimatedRows = Math.ceil(info.size / Math.max(4, sampleText.length / sampleLines))
  const capacity = Math.min(1 << 24, Math.max(1024, Math.ceil(estimatedRows * 1.1)))
  const builders = valueIndices.map(() => new NumericColumnBuilder(dialect.decimal === ',', capacity))
  const rawTimes = new GrowableFloat64(capacity)
  const ragged: Array<{ line: number; fields: number }> = []
  let raggedTotal = 0
  let headerSeen = false
  let rows = 0

  const { sha256, emptyRows } = await readCsv(path, {
    dialect,
    encoding,
    fileName,
    maxRecordChars: options.maxRecordChars,
    signal: options.signal,
    onProgress: (bytes) => options.onProgress?.({ fraction: info.size > 0 ? bytes / info.size : 1, rows }),
    onRecord: (record, line) => {
      if (!headerSeen) {
        headerSeen = true
        return
      }
      if (record.length !== width) {
        raggedTotal++
        if (ragged.length < MAX_LISTED_ROWS) ragged.push({ line, fields: record.length })
        else throw raggedError(fileName, ragged, width, raggedTotal, false)
        return
      }
      if (raggedTotal > 0) return
      const cell = record[time.index]!.trim()
      const t = parseTime(cell)
      if (t !== t) throw badTimestamp(fileName, names[time.index]!, line, cell, time.format.label)
      rawTimes.push(t)
      for (let k = 0; k < valueIndices.length; k++) builders[k]!.add(record[valueIndices[k]!]!, line)
      rows++
    },
  })
  if (!headerSeen) throw emptyFile(fileName)
  if (raggedTotal > 0) throw raggedError(fileName, ragged, width, raggedTotal, true)
  if (rows === 0) throw headerOnly(fileName)
  checkCells(fileName, names, valueIndices, builders)

  const existing = findDatasetBySha256(db, sha256)
  if (existing !== undefined) {
    return {
      ...existing,
      warnings: [...existing.warnings, { code: 'ALREADY_IMPORTED', message: `These exact bytes were imported before as dataset ${existing.id} (${existing.name}); returning it instead of a copy.` }],
    }
  }

  const warnings: Warning[] = [...headerWarnings]
  const empty = emptyRowsWarning(emptyRows)
  if (empty) warnings.push(empty)
  if (encoding.detected) warnings.push({ code: 'ENCODING_DETECTED', message: `${fileName} is not UTF-8; it was read as Windows-1252.` })
  if (dialect.decimalDetected && dialect.decimal === ',') warnings.push({ code: 'DECIMAL_COMMA', message: 'Numbers use a decimal comma (e.g. 1.234,56); they were read that way.' })

  let times = rawTimes.view()
  if (time.format.kind === 'epoch') times = scaleEpoch(times)
  const order = orderByTime(times)
  if (order.unsorted > 0) warnings.push({ code: 'UNSORTED_TIMESTAMPS', message: `Rows were not in time order (${order.unsorted} steps go back in time); they were sorted.` })
  if (order.duplicates > 0 && order.firstDuplicate) {
    warnings.push({
      code: 'DUPLICATE_TIMESTAMPS',
      message: `${order.duplicates} rows repeat an earlier timestamp (first: ${formatTime(order.firstDuplicate.time)}); the first row of each time was kept and the repeats dropped.`,
    })
  }
  const take = order.take
  if (take !== undefined) times = gather(times, take)

  const columns: DatasetColumn[] = []
  const values: Float64Array[] = []
  const textColumns: string[] = []
  valueIndices.forEach((columnIndex, k) => {
    const builder = builders[k]!
    const name = names[columnIndex]!
    if (builder.isText()) {
      builder.values.release()
      columns.push({ name, kind: 'text', missing: builder.missing })
      textColumns.push(name)
      return
    }
    const column = take !== undefined ? gather(builder.values.view(), take) : builder.values.view()
    // once reordered, the column as read is garbage: freeing it column by column keeps the peak at one extra column
    if (take !== undefined) builder.values.release()
    const stats = columnStats(column)
    const missing = take !== undefined ? countMissing(column) : builder.missing
    columns.push({ name, kind: 'numeric', missing, ...(stats ? { stats } : {}) })
    values.push(column)
  })
  if (values.length === 0) {
    throw new ClipcastError('CSV_NO_NUMERIC_COLUMNS', `${fileName} has no numeric column besides the time column ${JSON.stringify(time.name)}${textColumns.length > 0 ? `; ${textColumns.map((n) => JSON.stringify(n)).join(', ')} hold text` : ''}.`, {
      hint: 'A dataset needs at least one numeric column to forecast; check the delimiter (--delimiter) and the decimal mark (--decimal).',
    })
  }
  if (textColumns.length > 0) warnings.push({ code: 'TEXT_COLUMNS', message: `Text columns kept out of the numeric data: ${textColumns.map((n) => JSON.stringify(n)).join(', ')}.` })

  const frequency = inferFrequency(times)
  if (frequency.gaps.count > 0 && frequency.gaps.first) {
    const first = frequency.gaps.first
    warnings.push({
      code: 'GAPS',
      message: `${frequency.gaps.count} gaps in the ${frequency.frequency} timestamps; the first is ${describeGap(first)} (${first.missingSteps} missing step${first.missingSteps === 1 ? "" : "s"}).`,
    })
  }
  if (frequency.irregular.count > 0 && frequency.irregular.first) {
    warnings.push({
      code: 'IRREGULAR_TIMESTAMPS',
      message: `${frequency.irregular.count} time steps do not fit the ${frequency.frequency === 'irregular' ? 'median' : frequency.frequency} step; the first is ${describeGap(frequency.irregular.first)}.`,
    })
  }

  // gaps become explicit missing rows; written in short transactions under a hidden staging row, so a training's commits are not held up by a large file
  return writeDatasetStaged(db, withGapsFilled({
    name: request.name?.trim() || basename(fileName, extname(fileName)),
    sourceName: fileName,
    sha256,
    timeColumn: time.name,
    frequency: frequency.frequency,
    columns,
    warnings,
    times,
    values,
  }), { signal: options.signal })
}

/** The decoded start of the file, cut after its last complete line when the file goes on. */
function sampleOf(head: Buffer, encoding: TextEncoding, bomBytes: number, truncated: boolean): string {
  let bytes = head.subarray(bomBytes)
  if (encoding === 'utf-8') bytes = bytes.subarray(0, completeUtf8Prefix(bytes))
  else if (encoding !== 'windows-1252') bytes = bytes.subarray(0, bytes.length - (bytes.length % 2))
  const text = new TextDecoder(encoding).decode(bytes)
  if (!truncated) return text
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'))
  return end > 0 ? text.slice(0, end + 1) : text
}

function checkCells(fileName: string, names: string[], valueIndices: number[], builders: NumericColumnBuilder[]): void {
  let worst: ClipcastError | undefined
  let worstLine = Infinity
  valueIndices.forEach((columnIndex, k) => {
    const builder = builders[k]!
    if (builder.isText()) return
    const column = names[columnIndex]!
    if (builder.firstNonFinite && builder.firstNonFinite.line < worstLine) {
      const { line, value } = builder.firstNonFinite
      worstLine = line
      worst = new ClipcastError('CSV_NON_FINITE', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a finite number (${builder.nonFinite} such cells in the column).`, {
        hint: 'Replace infinite or overflowing values with a number, or leave the cell empty to mark it missing.',
        details: { line, column, value, count: builder.nonFinite },
      })
    }
    if (builder.firstNotNumber && builder.firstNotNumber.line < worstLine) {
      const { line, value } = builder.firstNotNumber
      worstLine = line
      worst = new ClipcastError('CSV_BAD_NUMBER', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a number (${builder.notNumbers} such cells in a numeric column).`, {
        hint: 'Fix the cell, or leave it empty (or NA) to mark it missing; if the file uses decimal commas pass --decimal ,.',
        details: { line, column, value, count: builder.notNumbers },
      })
    }
  })
  if (worst !== undefined) throw worst
}

function countMissing(values: Float64Array): number {
  let missing = 0
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++
  return missing
}

function emptyFile(fileName: string): ClipcastError {
  return new ClipcastError('CSV_EMPTY', `${fileName} is empty.`, { hint: 'Choose a CSV file with a header line and data rows.' })
}

function headerOnly(fileName: string): ClipcastError {
  return new ClipcastError('CSV_HEADER_ONLY', `${fileName} has a header but no data rows.`, { hint: 'Choose a CSV file with data rows under the header.' })
}

function raggedError(fileName: string, ragged: Array<{ line: number; fields: number }>, width: number, total: number, complete: boolean): ClipcastError {
  const list = ragged.map((r) => `line ${r.line} (${r.fields} fields)`).join(', ')
  const count = complete ? `${total} rows` : `At least ${total} rows`
  return new ClipcastError('CSV_RAGGED_ROW', `${count} of ${fileName} do not have the header's ${width} fields: ${list}${ragged.length < total ? ', …' : ''}.`, {
    hint: 'Check those rows for an unquoted delimiter inside a value or a missing field; or choose the right --delimiter.',
    details: { lines: ragged.map((r) => r.line), expectedFields: width, total },
  })
}

function badTimestamp(fileName: string, column: string, line: number, value: string, format: string): ClipcastError {
  return new ClipcastError('CSV_BAD_TIMESTAMP', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a timestamp in the column's format (${format}).`, {
    hint: value === '' ? 'Every row needs a time; fill in or remove that row.' : 'Fix that cell, or pass --time-format if the column uses another format.',
    details: { line, column, value },
  })
}
