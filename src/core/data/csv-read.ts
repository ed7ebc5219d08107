import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { ClipcastError } from '../../shared/errors'
import { RecordSplitter } from './csv-records'
import type { Dialect } from './dialect'
import { encodingError, InvalidBytesError, lineOfOffset, StrictDecoder, type EncodingChoice } from './encoding'

/** Default cap on one record: enough for any real row, small enough that an unclosed quote cannot swallow the file. */
export const MAX_RECORD_CHARS = 1 << 20
const READ_CHUNK_BYTES = 1 << 20

export interface CsvReadOptions {
  dialect: Dialect
  encoding: EncodingChoice
  fileName: string
  maxRecordChars?: number
  signal?: AbortSignal
  /** Called once per chunk read. */
  onProgress?: (bytesRead: number) => void
  /** Called for every record (header included) with the line it ends on; may throw to stop the read. */
  onRecord: (record: string[], line: number) => void
}

export async function readHead(path: string, bytes = 1 << 16): Promise<Buffer> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw fileError(path, error)
  })
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

export function fileError(path: string, error: unknown): ClipcastError {
  const code = (error as { code?: string }).code
  if (code === 'ENOENT') return new ClipcastError('FILE_NOT_FOUND', `No file at ${path}.`, { hint: 'Check the path and try again.', cause: error })
  return new ClipcastError('FILE_READ', `Cannot read ${path}: ${(error as Error).message}.`, {
    hint: code === 'EISDIR' ? 'Choose a CSV file, not a folder.' : 'Check that the file exists and is readable.',
    cause: error,
  })
}

/** Rows whose every cell is empty (`,,`): how many, and the first lines of them. */
export interface EmptyRows {
  count: number
  lines: number[]
}

const MAX_LISTED_EMPTY_ROWS = 10

/** EMPTY_ROWS: rows of empty cells have no time to go under, so they are skipped, but never silently. */
export function emptyRowsWarning(emptyRows: EmptyRows): { code: string; message: string } | null {
  if (emptyRows.count === 0) return null
  const { count, lines } = emptyRows
  return { code: 'EMPTY_ROWS', message: `${count} row${count === 1 ? '' : 's'} held only empty cells (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${count > lines.length ? ', …' : ''}) and were skipped: a row needs a time.` }
}

/** The file's size and modification time, which change when it is written: `size:mtimeMs`. */
export async function fileVersion(path: string): Promise<string> {
  const info = await stat(path).catch((error: unknown) => {
    throw fileError(path, error)
  })
  return `${info.size}:${info.mtimeMs}`
}

/**
 * The SHA-256 of the file's bytes, streamed: what a dataset's source is known by, so the same
 * bytes imported again are found (src/core/data/import.ts) before they are read as a table.
 */
export async function fileSha256(path: string, options: { fileName: string; signal?: AbortSignal }): Promise<string> {
  const hash = createHash('sha256')
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (options.signal?.aborted) throw cancelled(options.fileName)
      hash.update(chunk)
    }
  } catch (error) {
    if (error instanceof ClipcastError) throw error
    throw fileError(path, error)
  } finally {
    stream.destroy()
  }
  return hash.digest('hex')
}

/**
 * Streams a CSV file through the strict decoder into the record splitter (RFC 4180 quoting,
 * any line ending, blank lines skipped, rows of empty cells counted) and hands each record to
 * `onRecord`. Malformed quotes and runaway records become CSV_UNCLOSED_QUOTE /
 * CSV_RECORD_TOO_LARGE with their line.
 */
export async function readCsv(path: string, options: CsvReadOptions): Promise<{ sizeBytes: number; emptyRows: EmptyRows }> {
  const { dialect, encoding, fileName, signal } = options
  const emptyRows: EmptyRows = { count: 0, lines: [] }
  // a row of empty cells (`,,`) has no time to go under: skipped, but counted for the import to report
  const onEmptyRecord = (fields: number, line: number): void => {
    if (fields > 1 && ++emptyRows.count <= MAX_LISTED_EMPTY_ROWS) emptyRows.lines.push(line)
  }
  const splitter = new RecordSplitter(dialect.delimiter, dialect.fromLine, options.maxRecordChars ?? MAX_RECORD_CHARS, fileName, options.onRecord, onEmptyRecord)
  const decoder = new StrictDecoder(encoding.encoding, encoding.bomBytes)
  const feed = (data: Buffer | string, end: boolean): void => splitter.push(typeof data === 'string' ? data : data.toString('utf8'), end)
  let bytesRead = 0
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw cancelled(fileName)
      const body = bytesRead === 0 && encoding.bomBytes > 0 ? chunk.subarray(encoding.bomBytes) : chunk
      bytesRead += chunk.length
      feed(decoder.push(body), false)
      options.onProgress?.(bytesRead)
    }
    if (signal?.aborted) throw cancelled(fileName)
    feed(decoder.end(), true)
  } catch (error) {
    if (error instanceof ClipcastError) throw error
    if (error instanceof InvalidBytesError) {
      const prefix = await readHead(path, error.byteOffset)
      throw encodingError(fileName, encoding.encoding, error.byteOffset, lineOfOffset(prefix, error.byteOffset, encoding.encoding))
    }
    throw fileError(path, error)
  } finally {
    stream.destroy()
  }
  return { sizeBytes: bytesRead, emptyRows }
}

function cancelled(fileName: string): ClipcastError {
  return new ClipcastError('IMPORT_CANCELLED', `The import of ${fileName} was cancelled; nothing was written.`, { hint: 'Start the import again when you are ready.' })
}
