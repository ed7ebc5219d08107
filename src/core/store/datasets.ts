import type { DatasetColumn, DatasetSummary, Frequency, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { CHUNK_ROWS } from './migrations'
import { writeTransaction, type Db } from './workspace'

/**
 * Datasets in the workspace: one row of metadata plus the values column-wise in chunks of
 * CHUNK_ROWS little-endian Float64 (NaN = missing). Chunk column -1 holds the times (UTC
 * epoch ms); 0.. are the numeric columns in the order they appear in `columns` (text
 * columns are listed but have no values).
 */
export interface NewDataset {
  name: string
  sourceName: string
  sha256: string
  timeColumn: string
  frequency: Frequency
  columns: DatasetColumn[]
  warnings: Warning[]
  times: Float64Array
  /** One array per numeric column of `columns`, in order, each as long as `times`. */
  values: Float64Array[]
  timeFormat?: string
  timeZone?: string
}

interface DatasetRow {
  id: number
  name: string
  source_name: string
  source_sha256: string
  imported_at: string
  row_count: number
  time_column: string
  frequency: string
  start_time: string
  end_time: string
  columns_json: string
  warnings_json: string
  time_format: string | null
  time_zone: string | null
}

export const TIME_COLUMN_INDEX = -1

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    id: row.id,
    name: row.name,
    rows: row.row_count,
    timeColumn: row.time_column,
    frequency: row.frequency as Frequency,
    start: row.start_time,
    end: row.end_time,
    columns: JSON.parse(row.columns_json) as DatasetColumn[],
    warnings: JSON.parse(row.warnings_json) as Warning[],
    sourceName: row.source_name,
    sha256: row.source_sha256,
    importedAt: row.imported_at,
    ...(row.time_format !== null ? { timeFormat: row.time_format } : {}),
    ...(row.time_zone !== null ? { timeZone: row.time_zone } : {}),
  }
}

/** Writes the dataset and all its chunks in one transaction: the whole dataset or nothing. */
export function insertDataset(db: Db, dataset: NewDataset): DatasetSummary {
  checkShape(dataset)
  const id = writeTransaction(db, () => {
    const datasetId = insertDatasetRow(db, dataset, { state: 'ready' })
    const insertChunk = chunkInserter(db)
    for (const chunk of datasetChunks(dataset)) insertChunk(datasetId, chunk)
    return datasetId
  })
  return getDataset(db, id)
}

export function checkShape(dataset: NewDataset): void {
  const rows = dataset.times.length
  const numeric = dataset.columns.filter((c) => c.kind === 'numeric')
  if (numeric.length !== dataset.values.length || dataset.values.some((v) => v.length !== rows)) {
    throw new ClipcastError('INTERNAL', `Dataset ${dataset.name}: ${dataset.values.length} value arrays for ${numeric.length} numeric columns of ${rows} rows.`)
  }
}

/** The dataset's metadata row; a staging row carries a placeholder hash until its import switches it to ready. */
export function insertDatasetRow(db: Db, dataset: NewDataset, options: { state: 'ready' } | { state: 'staging'; placeholderSha256: string }): number {
  const rows = dataset.times.length
  const result = db
    .prepare(`INSERT INTO datasets (name, source_name, source_sha256, imported_at, row_count, time_column, frequency, start_time, end_time, columns_json, warnings_json, time_format, time_zone, import_state, import_owner_pid)
    VALUES (@name, @sourceName, @sha256, @importedAt, @rows, @timeColumn, @frequency, @start, @end, @columns, @warnings, @timeFormat, @timeZone, @state, @owner)`)
    .run({
      name: dataset.name,
      sourceName: dataset.sourceName,
      sha256: options.state === 'staging' ? options.placeholderSha256 : dataset.sha256,
      importedAt: new Date().toISOString(),
      rows,
      timeColumn: dataset.timeColumn,
      frequency: dataset.frequency,
      start: rows > 0 ? new Date(dataset.times[0]!).toISOString() : '',
      end: rows > 0 ? new Date(dataset.times[rows - 1]!).toISOString() : '',
      columns: JSON.stringify(dataset.columns),
      warnings: JSON.stringify(dataset.warnings),
      timeFormat: dataset.timeFormat ?? null,
      timeZone: dataset.timeZone ?? null,
      state: options.state,
      owner: options.state === 'staging' ? process.pid : null,
    })
  return Number(result.lastInsertRowid)
}

export interface DatasetChunk {
  columnIndex: number
  chunkIndex: number
  values: Float64Array
}

/** The dataset's stored chunks in write order: the times, then each numeric column. */
export function* datasetChunks(dataset: NewDataset): Generator<DatasetChunk> {
  const rows = dataset.times.length
  const columns = [dataset.times, ...dataset.values]
  for (let k = 0; k < columns.length; k++) {
    for (let chunkIndex = 0, start = 0; start < rows; chunkIndex++, start += CHUNK_ROWS) {
      yield { columnIndex: k - 1, chunkIndex, values: columns[k]!.subarray(start, Math.min(rows, start + CHUNK_ROWS)) }
    }
  }
}

export function chunkInserter(db: Db): (datasetId: number, chunk: DatasetChunk) => void {
  const insert = db.prepare('INSERT INTO dataset_chunks (dataset_id, column_index, chunk_index, values_blob) VALUES (?, ?, ?, ?)')
  return (datasetId, { columnIndex, chunkIndex, values }) => {
    insert.run(datasetId, columnIndex, chunkIndex, Buffer.from(values.buffer, values.byteOffset, values.byteLength))
  }
}

export function findDatasetBySha256(db: Db, sha256: string): DatasetSummary | undefined {
  const row = db.prepare(`SELECT * FROM datasets WHERE source_sha256 = ? AND import_state = 'ready'`).get(sha256) as DatasetRow | undefined
  return row === undefined ? undefined : toSummary(row)
}

export function listDatasets(db: Db): DatasetSummary[] {
  return (db.prepare(`SELECT * FROM datasets WHERE import_state = 'ready' ORDER BY id`).all() as DatasetRow[]).map(toSummary)
}

export function getDataset(db: Db, id: number): DatasetSummary {
  const row = db.prepare(`SELECT * FROM datasets WHERE id = ? AND import_state = 'ready'`).get(id) as DatasetRow | undefined
  if (row === undefined) {
    throw new ClipcastError('DATASET_NOT_FOUND', `There is no dataset ${id} in this workspace.`, { hint: 'List the datasets with `clipcast datasets` and use one of their ids.', details: { id } })
  }
  return toSummary(row)
}

/** Timestamps (UTC epoch ms) of rows [start, end), reading only the chunks that hold them. */
export function readTimes(db: Db, id: number, range?: { start: number; end: number }): Float64Array {
  const dataset = getDataset(db, id)
  return readChunks(db, id, TIME_COLUMN_INDEX, dataset.rows, range)
}

/** Values (NaN = missing) of a numeric column for rows [start, end), reading only the chunks that hold them. */
export function readColumn(db: Db, id: number, name: string, range?: { start: number; end: number }): Float64Array {
  const dataset = getDataset(db, id)
  const numeric = dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const index = numeric.indexOf(name)
  if (index < 0) {
    const isText = dataset.columns.some((c) => c.name === name && c.kind === 'text')
    throw new ClipcastError(
      'UNKNOWN_COLUMN',
      `Dataset ${id} has no numeric column ${JSON.stringify(name)}${isText ? ' (it is a text column)' : ''}; its numeric columns are ${numeric.map((n) => JSON.stringify(n)).join(', ')}.`,
      { hint: 'Use one of those names.', details: { columns: numeric } },
    )
  }
  return readChunks(db, id, index, dataset.rows, range)
}

function readChunks(db: Db, id: number, columnIndex: number, rows: number, range?: { start: number; end: number }): Float64Array {
  const start = range?.start ?? 0
  const end = range?.end ?? rows
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > rows || start > end) {
    throw new ClipcastError('BAD_REQUEST', `The row range [${start}, ${end}) is outside dataset ${id}, which has ${rows} rows.`, { hint: 'Ask for rows between 0 and the row count.' })
  }
  const out = new Float64Array(end - start)
  if (end === start) return out
  const outBytes = new Uint8Array(out.buffer)
  const first = Math.floor(start / CHUNK_ROWS)
  const last = Math.floor((end - 1) / CHUNK_ROWS)
  const chunks = db
    .prepare('SELECT chunk_index AS chunk, values_blob AS blob FROM dataset_chunks WHERE dataset_id = ? AND column_index = ? AND chunk_index BETWEEN ? AND ? ORDER BY chunk_index')
    .all(id, columnIndex, first, last) as Array<{ chunk: number; blob: Buffer }>
  if (chunks.length !== last - first + 1) {
    throw new ClipcastError('WORKSPACE_CORRUPT', `Dataset ${id} is missing stored chunks of column ${columnIndex}.`, { hint: 'Delete the dataset and import it again.' })
  }
  for (const { chunk, blob } of chunks) {
    const chunkStart = chunk * CHUNK_ROWS
    const from = Math.max(start, chunkStart) - chunkStart
    const to = Math.min(end, chunkStart + blob.length / 8) - chunkStart
    // copy bytes: a blob's Buffer need not be 8-byte aligned for a Float64Array view
    outBytes.set(blob.subarray(from * 8, to * 8), (chunkStart + from - start) * 8)
  }
  return out
}

/** Datasets stored as daily before trading days were recognised, not yet detected again (migration 11). */
export function listUnsettledDailyDatasets(db: Db): DatasetSummary[] {
  return (db.prepare(`SELECT * FROM datasets WHERE import_state = 'ready' AND frequency_settled = 0 ORDER BY id`).all() as DatasetRow[]).map(toSummary)
}

/**
 * Settles an unsettled daily dataset: with the frequency (and its gap warnings) detected again
 * when given, only if no run or sweep uses it by then, checked in the same statement, since a
 * run's windows follow its dataset's frequency; else as it is. Whether the frequency changed.
 */
export function settleDailyDataset(db: Db, id: number, detected?: { frequency: Frequency; warnings: Warning[] }): boolean {
  return writeTransaction(db, () => {
    const changed =
      detected !== undefined &&
      db
        .prepare(
          `UPDATE datasets SET frequency = ?, warnings_json = ?, frequency_settled = 1
           WHERE id = ? AND frequency_settled = 0 AND frequency = 'daily'
             AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.dataset_id = datasets.id) AND NOT EXISTS (SELECT 1 FROM sweeps s WHERE s.dataset_id = datasets.id)`,
        )
        .run(detected.frequency, JSON.stringify(detected.warnings), id).changes === 1
    db.prepare('UPDATE datasets SET frequency_settled = 1 WHERE id = ?').run(id)
    return changed
  })
}

/** Removes the dataset, its chunks and (by cascade) its runs. */
export function deleteDataset(db: Db, id: number): void {
  getDataset(db, id)
  writeTransaction(db, () => {
    db.prepare('DELETE FROM datasets WHERE id = ?').run(id)
  })
}
