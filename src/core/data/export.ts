import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { ClipcastError } from '../../shared/errors'

/**
 * CSV output as RFC 4180 says: CRLF line ends, a field quoted when it holds the delimiter, a
 * quote, CR or LF, quotes doubled inside. Numbers are written with `.` decimals at full
 * precision — JavaScript's shortest representation that reads back as the same double — and
 * a missing number as an empty field. Text that a spreadsheet would run as a formula (it
 * starts with = + - @, tab or CR) gets a leading `'`, as OWASP's CSV-injection advice says;
 * numbers, negative ones included, are numbers and are never touched.
 */
export type Cell = number | string | null

const DELIMITER = ','
const FORMULA_START = /^[=+\-@\t\r]/

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return ''
  // String() is the shortest round-trip form; -0 prints as "0"
  return String(value)
}

export function escapeText(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function formatCell(cell: Cell): string {
  if (cell === null) return ''
  return typeof cell === 'number' ? formatNumber(cell) : escapeText(cell)
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const lines = [header.map((name) => escapeText(name)).join(DELIMITER)]
  for (const row of rows) {
    if (row.length !== header.length) throw new RangeError(`toCsv: a row has ${row.length} fields; the header has ${header.length}`)
    lines.push(row.map(formatCell).join(DELIMITER))
  }
  return lines.join('\r\n') + '\r\n'
}

/** ISO 8601 in UTC with milliseconds, e.g. 2010-01-01T01:00:00.000Z. */
export function isoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString()
}

/**
 * Writes a CSV so that the file at `path` is either the old one or the whole new one: a
 * temporary file in the same folder, flushed to disk, then renamed over the target. `rows` may
 * be a generator: they are formatted and written a few thousand at a time, so a long table
 * never exists whole as text. An error thrown while producing or checking a row (not a
 * write error) removes the temporary file and passes through unchanged.
 */
export function writeCsvFile(path: string, header: readonly string[], rows: Iterable<readonly Cell[]>): { path: string; rows: number; sizeBytes: number } {
  const writer = new CsvFileWriter(path, header)
  try {
    for (const row of rows) writer.push(row)
    return writer.commit()
  } catch (error) {
    throw writer.abort(error)
  }
}

/** writeCsvFile for rows made asynchronously (predictions read back from the device batch by batch). */
export async function writeCsvFileAsync(path: string, header: readonly string[], rows: AsyncIterable<readonly Cell[]>): Promise<{ path: string; rows: number; sizeBytes: number }> {
  const writer = new CsvFileWriter(path, header)
  try {
    for await (const row of rows) writer.push(row)
    return writer.commit()
  } catch (error) {
    throw writer.abort(error)
  }
}

class CsvFileWriter {
  private readonly temp: string
  private fd: number | null = null
  private sizeBytes = 0
  private count = 0
  private pending: string[]

  constructor(private readonly path: string, private readonly header: readonly string[]) {
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
    this.pending = [header.map((name) => escapeText(name)).join(DELIMITER) + '\r\n']
    try {
      this.fd = openSync(this.temp, 'wx')
    } catch (error) {
      throw this.abort(error)
    }
  }

  push(row: readonly Cell[]): void {
    if (row.length !== this.header.length) throw new RangeError(`writeCsvFile: a row has ${row.length} fields; the header has ${this.header.length}`)
    this.pending.push(row.map(formatCell).join(DELIMITER) + '\r\n')
    this.count++
    if (this.pending.length >= 4096) this.flush()
  }

  commit(): { path: string; rows: number; sizeBytes: number } {
    this.flush()
    fsyncSync(this.fd as number)
    closeSync(this.fd as number)
    this.fd = null
    renameSync(this.temp, this.path)
    return { path: this.path, rows: this.count, sizeBytes: this.sizeBytes }
  }

  /** Removes the temporary file; the error to throw (a row's own error unchanged, a write error as EXPORT_WRITE). */
  abort(error: unknown): unknown {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
    rmSync(this.temp, { force: true })
    if (error instanceof ClipcastError || error instanceof RangeError) return error
    return new ClipcastError('EXPORT_WRITE', `Cannot write ${this.path}: ${(error as Error).message}.`, {
      hint: 'Check that the folder exists and is writable and that the disk has space, or choose another file.',
      cause: error,
    })
  }

  private flush(): void {
    const bytes = Buffer.from(this.pending.join(''), 'utf8')
    let written = 0
    while (written < bytes.length) written += writeSync(this.fd as number, bytes, written, bytes.length - written)
    this.sizeBytes += bytes.length
    this.pending = []
  }
}
