import Database from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { ClipcastError } from '../../shared/errors'
import { backupIfDue, findBackup } from './backup'
import { hasSqliteHeader } from './file-check'
import { MIGRATIONS } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Open without writing anything (no WAL switch, no migrations); the file must exist. */
  readOnly?: boolean
  busyTimeoutMs?: number
}

export const SCHEMA_VERSION = MIGRATIONS.length

/**
 * Opens (creating if needed) a workspace file: WAL, foreign keys, busy timeout,
 * integrity check, then migrations. An existing file is first checked on a read-only
 * connection, so a corrupt workspace or one written by a newer Clipcast is refused before
 * anything (not even the switch to WAL) is written to it.
 */
export function openWorkspace(path: string, options: OpenOptions = {}): Db {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000
  if (options.readOnly === true) return openChecked(path, busyTimeoutMs)
  const exists = existsSync(path)
  if (exists) openChecked(path, busyTimeoutMs).close()
  // the default workspace lives in a folder (~/.config/Clipcast) that a fresh machine lacks
  else mkdirSync(dirname(path), { recursive: true })
  const db = connect(path, false)
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
    migrate(db)
  } catch (error) {
    db.close()
    throw asCorrupt(error, path)
  }
  // only a file that existed and passed the check above is worth keeping a copy of
  if (exists) backupIfDue(db, path)
  return db
}

/** A read-only connection to an existing workspace that passed the integrity check and whose schema this version knows. */
function openChecked(path: string, busyTimeoutMs: number): Db {
  // SQLite would open an emptied file as a brand-new database, and the next backup would replace the good one with it
  if (existsSync(path) && !hasSqliteHeader(path)) throw corrupt(path, `The workspace ${path} is empty or does not start with a SQLite header; Clipcast never leaves a workspace like that (delete the file to start a new workspace there).`)
  const db = connect(path, true)
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    db.pragma('foreign_keys = ON')
    checkIntegrity(db, path)
    const version = db.pragma('user_version', { simple: true }) as number
    if (version > SCHEMA_VERSION) {
      throw new ClipcastError(
        'WORKSPACE_TOO_NEW',
        `The workspace ${path} was written by a newer Clipcast (schema ${version}; this version knows ${SCHEMA_VERSION}).`,
        { hint: 'Update Clipcast to open this workspace, or choose another workspace file; nothing was written to this one.', details: { path, version, known: SCHEMA_VERSION } },
      )
    }
    return db
  } catch (error) {
    db.close()
    throw asCorrupt(error, path)
  }
}

function connect(path: string, readonly: boolean): Db {
  // the Electron shell points this at a better-sqlite3 binary built for its own ABI
  const nativeBinding = process.env.CLIPCAST_SQLITE_BINDING
  try {
    return new Database(path, { readonly, fileMustExist: readonly, ...(nativeBinding ? { nativeBinding } : {}) })
  } catch (error) {
    if (isNativeLoadFailure(error)) throw nativeModuleLoad(error, nativeBinding)
    throw corrupt(path, `Cannot open the workspace ${path}: ${(error as Error).message}.`, error)
  }
}

/**
 * better-sqlite3 loads its addon at the first connection: a binary built for another Node or
 * Electron ABI, a missing build or a damaged file fails there, before the workspace is read.
 */
function isNativeLoadFailure(error: unknown): boolean {
  const { code, message = '' } = error as { code?: string; message?: string }
  return code === 'ERR_DLOPEN_FAILED' || (code === 'MODULE_NOT_FOUND' && message.includes('.node')) || /bindings file|NODE_MODULE_VERSION/.test(message)
}

/** The workspace is fine; the program cannot load its SQLite library. Never reported as corruption. */
function nativeModuleLoad(error: unknown, binding: string | undefined): ClipcastError {
  const reason = ((error as Error).message ?? String(error)).split('\n')[0]
  return new ClipcastError('NATIVE_MODULE_LOAD', `Clipcast could not load its SQLite library (better-sqlite3${binding ? ` at ${binding}` : ''}): ${reason}. The workspace itself was not touched.`, {
    hint: binding
      ? 'The desktop app\'s copy is built for another Electron version: rebuild it with `node scripts/prepare-electron.mjs` (npm start does this), or reinstall Clipcast.'
      : 'It was built for another Node.js version: run `npm rebuild better-sqlite3`, or reinstall Clipcast.',
    details: { binding: binding ?? null, reason },
    cause: error,
  })
}

/** WORKSPACE_CORRUPT with the way out: the automatic backup when there is one (restoreBackup), else another file. */
function corrupt(path: string, message: string, cause?: unknown): ClipcastError {
  const backup = findBackup(path)
  return new ClipcastError('WORKSPACE_CORRUPT', message, {
    hint: backup
      ? `Open another workspace file, or restore the automatic backup ${backup.path} of ${backup.madeAt.toISOString()} (clipcast restore --db ${path}; the damaged file is kept beside it).`
      : 'Open another workspace file; this one has no automatic backup to restore.',
    details: { path, backup: backup?.path ?? null },
    ...(cause === undefined ? {} : { cause }),
  })
}

/** SQLite's "not a database" and "malformed" errors as WORKSPACE_CORRUPT; anything else unchanged. */
function asCorrupt(error: unknown, path: string): unknown {
  const code = (error as { code?: string }).code
  if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') return error
  return corrupt(path, `The workspace ${path} is not a readable SQLite database: ${(error as Error).message}.`, error)
}

function checkIntegrity(db: Db, path: string): void {
  let result: unknown
  try {
    result = db.pragma('quick_check', { simple: true })
  } catch (error) {
    throw corrupt(path, `The workspace ${path} is not a readable SQLite database: ${(error as Error).message}.`, error)
  }
  if (result !== 'ok') throw corrupt(path, `The workspace ${path} failed its integrity check: ${String(result)}.`)
}

/**
 * Applies each pending migration in its own transaction; a crash or a failing statement leaves
 * the previous version and schema (SQLite rolls the transaction back, DDL included). The version
 * is read again inside each write lock, so two processes opening an old workspace at once apply
 * each migration once. `migrations` is the schema's list; tests pass their own.
 */
export function migrate(db: Db, migrations: readonly string[] = MIGRATIONS): void {
  const pending = () => (db.pragma('user_version', { simple: true }) as number) < migrations.length
  while (pending()) {
    db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number
      if (version >= migrations.length) return
      db.exec(migrations[version]!)
      db.pragma(`user_version = ${version + 1}`)
    }).immediate()
  }
}

/** Waits before each retry of a transaction refused as BUSY or LOCKED, on top of the busy timeout: about 13 s in all. */
export const BUSY_RETRY_DELAYS_MS: readonly number[] = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400]

/** SQLite result codes that mean the write itself failed (disk, I/O, permissions), not a conflict. */
const WRITE_FAILURES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']

/** Codes of a write the workspace refused (failing disk, a lock never released, opened read-only): for writes that may be skipped and done another time. */
export const REFUSED_WRITE_CODES = ['WORKSPACE_WRITE', 'WORKSPACE_BUSY', 'WORKSPACE_READ_ONLY'] as const

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/**
 * Runs fn in an IMMEDIATE transaction. Another writer holding the lock (BUSY, LOCKED) is waited
 * out: the busy timeout, then retries with backoff (fn runs again from the start; its earlier
 * attempt was rolled back), so a long write elsewhere never stops a training. Only a failing
 * disk, I/O or permission is WORKSPACE_WRITE; a lock never released becomes WORKSPACE_BUSY.
 * Inside an outer transaction nothing is retried: the outer one decides.
 */
export function writeTransaction<T>(db: Db, fn: () => T, delaysMs: readonly number[] = BUSY_RETRY_DELAYS_MS): T {
  const nested = db.inTransaction
  for (let attempt = 0; ; attempt++) {
    try {
      return db.transaction(fn).immediate()
    } catch (error) {
      if (error instanceof ClipcastError) throw error
      const code = sqliteCode(error)
      const busy = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
      if (busy && !nested && attempt < delaysMs.length) {
        Atomics.wait(sleeper, 0, 0, delaysMs[attempt])
        continue
      }
      if (busy) {
        throw new ClipcastError('WORKSPACE_BUSY', `The workspace stayed locked by another writer (${code}) through ${attempt + 1} attempts.`, {
          hint: 'Another Clipcast process is writing to this workspace (a large import, say); try again when it is done.',
          details: { code, attempts: attempt + 1 },
          cause: error,
        })
      }
      if (WRITE_FAILURES.some((failure) => code.startsWith(failure))) {
        throw new ClipcastError('WORKSPACE_WRITE', `Writing to the workspace failed (${code}): ${(error as Error).message}.`, {
          hint: code === 'SQLITE_FULL' ? 'The disk is full: free some space and try again.' : 'Check that the workspace file is writable and the disk is healthy, then try again.',
          details: { code },
          cause: error,
        })
      }
      throw error
    }
  }
}

function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : ''
}
