import { stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { DatasetSummary, ImportRequest, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { sampleDatasetPath } from '../paths'
import { writeDatasetStaged } from '../store/dataset-staging'
import { findDatasetBySha256, type NewDataset } from '../store/datasets'
import type { Db } from '../store/workspace'
import { parsePlainDecimal } from './columns'
import { emptyRowsWarning, fileError, fileSha256, fileVersion, readCsv, readHead } from './csv-read'
import { withGapsFilled } from './gaps'
import { detectDialect, sampleRecords } from './dialect'
import { chooseEncoding, completeUtf8Prefix, type TextEncoding } from './encoding'
import { sanitizeHeaders } from './headers'
import { buildColumns } from './import-build'
import { checkCells, emptyFile, headerOnly } from './import-errors'
import { readRows } from './import-read'
import { chooseTimeColumn, singleColumn, type TimeSpec } from './time-column'
import { YEAR_FORMAT } from './time-formats'
import { ianaZone } from './time-zone'
import { detectTimeFormat, scaleEpoch } from './timestamps'
import { upgradeTradingDayDatasets } from './trading-day-upgrade'
import { detectYearByMonth, requireYearByMonth, type YearByMonth } from './year-by-month'

export interface ImportOptions {
  onProgress?: (progress: { fraction: number; rows: number }) => void
  signal?: AbortSignal
  /** Cap on one record in characters (tests lower it). */
  maxRecordChars?: number
}

const SAMPLE_BYTES = 1 << 16

/** What the start of a file says about it, before the whole of it is read. */
export interface CsvLayout {
  path: string
  fileName: string
  sizeBytes: number
  names: string[]
  /** The sampled data rows (the preview shows the first of them). */
  sampleRows: string[][]
  time: TimeSpec
  yearByMonth?: YearByMonth
  seriesColumn?: string
  timeZone?: string
}

/** A dataset ready to be written: everything importCsv stores but the source's hash (fileSha256), nothing stored yet. */
export interface AnalysedCsv {
  layout: CsvLayout
  dataset: Omit<NewDataset, 'sha256'>
}

/** Encoding, dialect, header, the time column(s) and the table's shape, from the file's first 64 KiB. */
export async function inspectCsv(request: ImportRequest, options: ImportOptions = {}): Promise<CsvLayout & { internal: Awaited<ReturnType<typeof readPrelude>> }> {
  const internal = await readPrelude(request, options)
  const { names, sampleRows, path, fileName, info } = internal
  if (request.timeZone !== undefined) ianaZone(request.timeZone)
  if (request.seriesColumn !== undefined && !names.includes(request.seriesColumn)) {
    throw new ClipcastError('UNKNOWN_COLUMN', `There is no column ${JSON.stringify(request.seriesColumn)} to split series by; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}.`, { hint: 'Choose one of those names as {seriesColumn}.', details: { columns: [...names], settings: ['seriesColumn'] } })
  }
  const yearByMonth = request.reshape === 'year-by-month' ? requireYearByMonth(names) : request.reshape === 'none' || request.timeColumn !== undefined ? undefined : detectYearByMonth(names)
  const time = yearByMonth !== undefined ? singleColumn(names, yearByMonth.yearIndex, { ...YEAR_FORMAT, tokens: 'yyyy-MM' }) : chooseTimeColumn(names, sampleRows, request)
  return {
    path,
    fileName,
    sizeBytes: info.size,
    names,
    sampleRows,
    time,
    internal,
    ...(yearByMonth !== undefined ? { yearByMonth } : {}),
    ...(request.seriesColumn !== undefined ? { seriesColumn: request.seriesColumn } : {}),
    ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
  }
}

/** The file's encoding, dialect, header and sampled rows; refuses what is not a readable CSV at all. */
export async function readPrelude(request: ImportRequest, options: ImportOptions = {}) {
  const path = sourcePath(request)
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
  return { path, fileName, info, encoding, dialect, sampleText, names, headerWarnings, sampleRows: sample.slice(1) }
}

function sourcePath(request: ImportRequest): string {
  const path = request.sample === true ? sampleDatasetPath() : request.path
  if (path === undefined) throw new ClipcastError('BAD_REQUEST', 'No CSV file was given to import.', { hint: 'Choose a CSV file, or {sample}.', details: { settings: ['sample'] } })
  return path
}

/**
 * Columns that could name a long file's series: text in the sample and not times (a test
 * export's `origin` column tells its repeated times apart too, but it is a time).
 */
export function seriesCandidates(names: readonly string[], sampleRows: readonly string[][], decimalCode: number): number[] {
  return names.map((_, i) => i).filter((i) => textLooking(sampleRows, i, decimalCode) && detectTimeFormat(names[i]!, sampleRows.map((r) => r[i] ?? '')).kind === 'none')
}

function textLooking(sampleRows: readonly string[][], index: number, decimalCode: number): boolean {
  let text = 0
  let numbers = 0
  for (const row of sampleRows) {
    const cell = (row[index] ?? '').trim()
    if (cell === '') continue
    if (parsePlainDecimal(cell, decimalCode) === parsePlainDecimal(cell, decimalCode) || Number.isFinite(Number(cell))) numbers++
    else text++
  }
  return text > numbers
}

/**
 * Reads and checks the whole file and builds the dataset, writing nothing: the import's
 * first half, and the preview's.
 */
export async function analyseCsv(request: ImportRequest, options: ImportOptions = {}): Promise<AnalysedCsv> {
  const inspected = await inspectCsv(request, options)
  const { internal, names, time, yearByMonth, fileName } = inspected
  const { dialect, encoding, info, sampleText, sampleRows } = internal
  const used = new Set([...time.indices, ...(inspected.seriesColumn !== undefined ? [names.indexOf(inspected.seriesColumn)] : [])])
  const valueIndices = yearByMonth ? [] : names.map((_, i) => i).filter((i) => !used.has(i))
  const decimalCode = dialect.decimal === ',' ? 44 : 46
  const seriesIndex = inspected.seriesColumn !== undefined ? names.indexOf(inspected.seriesColumn) : -1
  const candidates = seriesCandidates(names, sampleRows, decimalCode).filter((i) => !time.indices.includes(i) && i !== seriesIndex)
  const codedIndices = yearByMonth ? [] : seriesIndex >= 0 ? [seriesIndex] : candidates
  // size the column arrays from the sample's bytes per line so a large file rarely regrows them
  const sampleLines = Math.max(1, sampleText.split('\n').length - 1)
  const estimatedRows = Math.ceil(info.size / Math.max(4, sampleText.length / sampleLines))
  const capacity = Math.min(1 << 24, Math.max(1024, Math.ceil(estimatedRows * 1.1)))
  const read = await readRows({
    path: inspected.path,
    fileName,
    dialect,
    encoding,
    names,
    time,
    valueIndices,
    codedIndices,
    capacity,
    maxRecordChars: options.maxRecordChars,
    signal: options.signal,
    onProgress: (bytes, rows) => options.onProgress?.({ fraction: info.size > 0 ? bytes / info.size : 1, rows }),
    ...(yearByMonth ? { yearByMonth } : {}),
    ...(inspected.timeZone !== undefined ? { timeZone: inspected.timeZone } : {}),
  })
  if (!read.headerSeen) throw emptyFile(fileName)
  if (read.rows === 0) throw headerOnly(fileName)
  const readColumns = yearByMonth ? [{ name: 'value', builder: read.builders[0]! }] : valueIndices.map((i, k) => ({ name: names[i]!, builder: read.builders[k]! }))
  checkCells(fileName, readColumns)

  const warnings: Warning[] = [...internal.headerWarnings]
  const empty = emptyRowsWarning(read.emptyRows)
  if (empty) warnings.push(empty)
  if (encoding.detected) warnings.push({ code: 'ENCODING_DETECTED', message: `${fileName} ${encoding.encoding === 'windows-1252' ? 'is not UTF-8; it was read as Windows-1252' : `has no byte-order mark; its NULs say ${encoding.encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'}, and it was read so`}.` })
  if (dialect.decimalDetected && dialect.decimal === ',') warnings.push({ code: 'DECIMAL_COMMA', message: 'Numbers use a decimal comma (e.g. 1.234,56); they were read that way.' })
  if (yearByMonth) warnings.push({ code: 'RESHAPED', message: `A table of years by month: read as one monthly series "value"${yearByMonth.ignored.length > 0 ? `; left out ${yearByMonth.ignored.map((n) => JSON.stringify(n)).join(', ')}` : ''}.` })
  const times = time.format.kind === 'epoch' ? scaleEpoch(read.times) : read.times
  const coded = [...read.codes.entries()].map(([i, codes]) => ({ name: names[i]!, codes }))
  const timeName = time.names.join(',')
  const built = buildColumns(times, readColumns, coded, { fileName, timeName, ...(inspected.seriesColumn !== undefined ? { seriesColumn: inspected.seriesColumn } : {}), ...(inspected.timeZone !== undefined ? { timeZone: inspected.timeZone } : {}) })
  // gaps become explicit missing rows here, so the preview shows the rows the import writes
  const dataset: AnalysedCsv['dataset'] = withGapsFilled({
    name: request.name?.trim() || basename(fileName, extname(fileName)),
    sourceName: fileName,
    timeColumn: timeName,
    frequency: request.frequency ?? built.frequency,
    columns: built.columns,
    warnings: [...warnings, ...built.warnings],
    times: built.times,
    values: built.values,
    ...(time.format.tokens !== undefined ? { timeFormat: time.format.tokens } : {}),
    ...(inspected.timeZone !== undefined ? { timeZone: inspected.timeZone } : {}),
  })
  return { layout: inspected, dataset }
}

/**
 * Imports a CSV file into the workspace: streamed, validated, sorted by time, and written to
 * the workspace only when the whole file read cleanly (a failure or a cancel leaves nothing).
 * A dataset is known by its source's bytes alone (source_sha256 is unique), so the file is
 * hashed first: the same bytes imported again return the existing dataset with an
 * ALREADY_IMPORTED warning, whatever the settings, without being read as a table.
 */
export async function importCsv(db: Db, request: ImportRequest, options: ImportOptions = {}): Promise<DatasetSummary> {
  const path = sourcePath(request)
  const version = await fileVersion(path)
  const sha256 = await fileSha256(path, { fileName: basename(path), signal: options.signal })
  const found = findDatasetBySha256(db, sha256)
  // the same bytes stored as daily by an older version may be trading days: settled first
  if (found?.frequency === 'daily') upgradeTradingDayDatasets(db)
  const existing = found && findDatasetBySha256(db, sha256)
  if (existing !== undefined) {
    return {
      ...existing,
      warnings: [...existing.warnings, { code: 'ALREADY_IMPORTED', message: `These exact bytes were imported before as dataset ${existing.id} (${existing.name}); returning it instead of a copy, read with the settings it was imported with. To read the file with other settings, delete that dataset first (its runs go with it).` }],
    }
  }
  const { dataset } = await analyseCsv(request, options)
  // the hash and the table come from two reads: a file saved or appended to in between would be
  // stored under the hash of bytes that were never parsed
  if ((await fileVersion(path)) !== version) {
    throw new ClipcastError('FILE_READ', `${basename(path)} changed while it was being imported; nothing was stored.`, { hint: 'Import it again once the program writing it has finished.' })
  }
  // short transactions under a hidden staging row, so a training's commits are not held up by a large file
  return writeDatasetStaged(db, { ...dataset, sha256 }, { signal: options.signal })
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
