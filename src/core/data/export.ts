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
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  let fd: number | null = null
  try {
    fd = openSync(temp, 'wx')
    const out = fd
    let sizeBytes = 0
    let pending: string[] = [header.map((name) => escapeText(name)).join(DELIMITER) + '\r\n']
    const flush = (): void => {
      const bytes = Buffer.from(pending.join(''), 'utf8')
      let written = 0
      while (written < bytes.length) written += writeSync(out, bytes, written, bytes.length - written)
      sizeBytes += bytes.length
      pending = []
    }
    let count = 0
    for (const row of rows) {
      if (row.length !== header.length) throw new RangeError(`writeCsvFile: a row has ${row.length} fields; the header has ${header.length}`)
      pending.push(row.map(formatCell).join(DELIMITER) + '\r\n')
      count++
      if (pending.length >= 4096) flush()
    }
    flush()
    fsyncSync(fd)
    closeSync(fd)
    fd = null
    renameSync(temp, path)
    return { path, rows: count, sizeBytes }
  } catch (error) {
    if (fd !== null) closeSync(fd)
    rmSync(temp, { force: true })
    if (error instanceof ClipcastError || error instanceof RangeError) throw error
    throw new ClipcastError('EXPORT_WRITE', `Cannot write ${path}: ${(error as Error).message}.`, {
      hint: 'Check that the folder exists and is writable and that the disk has space, or choose another file.',
      cause: error,
    })
  }
}
