import { closeSync, openSync, readSync } from 'node:fs'

/** Every SQLite database file begins with these 16 bytes. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/**
 * Whether a file starts with the SQLite header. SQLite itself opens an empty file as a new
 * database and passes its `quick_check`, so an existing workspace truncated to 0 bytes would
 * silently become an empty one; this check tells the two apart. A real workspace is never
 * empty: switching a new file to WAL writes its first page at once.
 */
export function hasSqliteHeader(path: string): boolean {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return false
  }
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length)
    const read = readSync(fd, head, 0, head.length, 0)
    return read === head.length && head.equals(SQLITE_MAGIC)
  } finally {
    closeSync(fd)
  }
}
