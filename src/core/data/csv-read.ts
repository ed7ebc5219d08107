import { Parser } from 'csv-parse'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { ClipcastError } from '../../shared/errors'
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

/**
 * The parser's push-based core. `Parser#api` is what csv-parse's own Transform calls for each
 * chunk; calling it directly skips one object-mode stream hop per record (a quarter of the
 * parse time on a million rows) and lets `info.lines` be read at the moment a record ends.
 */
interface ParserCore {
  api: { parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined }
  info: { lines: number; records: number }
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

/**
 * Streams a CSV file through the strict decoder into csv-parse (RFC 4180 quoting, any line
 * ending, blank lines skipped, rows of empty cells counted) and hands each record to `onRecord`.
 * Returns the SHA-256 of the file's bytes. Parser errors become CSV_UNCLOSED_QUOTE / CSV_RECORD_TOO_LARGE with the line.
 */
export async function readCsv(path: string, options: CsvReadOptions): Promise<{ sha256: string; sizeBytes: number; emptyRows: EmptyRows }> {
  const { dialect, encoding, fileName, signal } = options
  const hash = createHash('sha256')
  const parser = new Parser({
    delimiter: dialect.delimiter,
    from_line: dialect.fromLine,
    relax_column_count: true,
    skip_empty_lines: true,
    // a row of empty cells (`,,`) reaches the import, which counts it rather than losing it silently
    skip_records_with_empty_values: false,
    max_record_size: options.maxRecordChars ?? MAX_RECORD_CHARS,
  }) as unknown as ParserCore
  let lastRecordLine = dialect.fromLine - 1
  const emptyRows: EmptyRows = { count: 0, lines: [] }
  const push = (record: string[]): void => {
    lastRecordLine = parser.info.lines
    if (record.every((cell) => cell.trim() === '')) {
      // a whitespace-only line is a blank line; a row of empty cells is counted for the import to report
      if (record.length > 1 && ++emptyRows.count <= MAX_LISTED_EMPTY_ROWS) emptyRows.lines.push(lastRecordLine)
      return
    }
    options.onRecord(record, lastRecordLine)
  }
  const decoder = new StrictDecoder(encoding.encoding, encoding.bomBytes)
  const feed = (data: Buffer | string, end: boolean): void => {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    const error = parser.api.parse(end ? undefined : buffer, end, push, () => {})
    if (error !== undefined) throw parseError(error, fileName, lastRecordLine + 1)
  }
  let bytesRead = 0
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw cancelled(fileName)
      hash.update(chunk)
      const body = bytesRead === 0 && encoding.bomBytes > 0 ? chunk.subarray(encoding.bomBytes) : chunk
      bytesRead += chunk.length
      feed(decoder.push(body), false)
      options.onProgress?.(bytesRead)
    }
    if (signal?.aborted) throw cancelled(fileName)
    const rest = decoder.end()
    if (rest.length > 0) feed(rest, false)
    feed(Buffer.alloc(0), true)
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
  return { sha256: hash.digest('hex'), sizeBytes: bytesRead, emptyRows }
}

function cancelled(fileName: string): ClipcastError {
  return new ClipcastError('IMPORT_CANCELLED', `The import of ${fileName} was cancelled; nothing was written.`, { hint: 'Start the import again when you are ready.' })
}

/** `line` is where the failing record starts: the line after the last complete record. */
function parseError(error: Error & { code?: string }, fileName: string, line: number): unknown {
  if (error instanceof ClipcastError) return error
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return new ClipcastError('CSV_RECORD_TOO_LARGE', `The record of ${fileName} starting at line ${line} exceeds the size limit; most likely a quote opened there is never closed.`, {
        hint: 'Look for an unbalanced " near that line (a quote inside a field must be doubled: "").',
        details: { line },
      })
    case 'CSV_QUOTE_NOT_CLOSED':
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new ClipcastError('CSV_UNCLOSED_QUOTE', `${fileName} has a malformed or unclosed quote in the record starting at line ${line}: ${error.message}`, {
        hint: 'Close the quoted field there, or double a quote that is part of the text ("").',
        details: { line, parserCode: error.code },
      })
    default:
      return new ClipcastError('FILE_READ', `${fileName} could not be parsed at line ${line}: ${error.message}`, {
        hint: 'Check the file near that line.',
        details: { line, parserCode: error.code },
      })
  }
}
