import { randomBytes } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { ClipcastError } from '../../shared/errors'
import { hasSqliteHeader } from './file-check'

/**
 * The automatic backups of a workspace (reliability 7): `<workspace>.backup` (newest),
 * `.backup.1` and `.backup.2`, consistent copies made at most once a day right after an open
 * whose integrity check passed. Three generations, so that a workspace damaged in a way the
 * checks cannot see (its data deleted, say) still leaves two older good copies.
 */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000
export const BACKUP_GENERATIONS = 3

export function backupPath(workspacePath: string, generation = 0): string {
  return generation === 0 ? `${workspacePath}.backup` : `${workspacePath}.backup.${generation}`
}

export interface BackupInfo {
  path: string
  madeAt: Date
}

/** The backups that exist, newest generation first. */
export function listBackups(workspacePath: string): BackupInfo[] {
  const found: BackupInfo[] = []
  for (let generation = 0; generation < BACKUP_GENERATIONS; generation++) {
    const path = backupPath(workspacePath, generation)
    try {
      found.push({ path, madeAt: statSync(path).mtime })
    } catch {
      // that generation does not exist (yet)
    }
  }
  return found
}

/** The newest backup of a workspace and when it was made; null when there is none. */
export function findBackup(workspacePath: string): BackupInfo | null {
  return listBackups(workspacePath)[0] ?? null
}

/**
 * Writes a new backup generation when the newest is older than BACKUP_INTERVAL_MS. `VACUUM INTO`
 * is a transactionally consistent copy that runs beside other readers and the WAL writer; it
 * goes to a temporary file that must pass `quick_check` at the workspace's schema version and be
 * fsynced before the generations shift and it is renamed into place, so neither a crash mid-copy
 * nor a bad copy ever costs a good backup. A backup that cannot be written (disk full, read-only
 * folder) is skipped: it must never stop the workspace from opening. Returns whether it wrote one.
 */
export function backupIfDue(db: Database.Database, workspacePath: string, now = Date.now()): boolean {
  const last = findBackup(workspacePath)
  if (last && now - last.madeAt.getTime() < BACKUP_INTERVAL_MS) return false
  const temp = tempPathBeside(backupPath(workspacePath))
  try {
    db.prepare('VACUUM INTO ?').run(temp)
    const version = db.pragma('user_version', { simple: true }) as number
    if (checkDatabaseFile(temp, version) !== null) throw new Error('the copy failed its check')
    fsyncFile(temp)
    for (let generation = BACKUP_GENERATIONS - 1; generation > 0; generation--) {
      const older = backupPath(workspacePath, generation - 1)
      if (existsSync(older)) renameSync(older, backupPath(workspacePath, generation))
    }
    renameSync(temp, backupPath(workspacePath))
    fsyncDirectory(dirname(workspacePath))
    return true
  } catch {
    rmSync(temp, { force: true })
    return false
  }
}

/**
 * Why a database file is not a usable copy (its header, `quick_check`, or a schema version other
 * than `expectedVersion` when given); null when it is sound.
 */
export function checkDatabaseFile(path: string, expectedVersion?: number): string | null {
  if (!hasSqliteHeader(path)) return 'it is empty or has no SQLite header'
  let db: Database.Database | undefined
  try {
    const nativeBinding = process.env.CLIPCAST_SQLITE_BINDING
    db = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
    const result = db.pragma('quick_check', { simple: true })
    if (result !== 'ok') return `quick_check: ${String(result)}`
    const version = db.pragma('user_version', { simple: true }) as number
    if (version === 0) return 'it holds no Clipcast schema'
    if (expectedVersion !== undefined && version !== expectedVersion) return `schema ${version}, expected ${expectedVersion}`
    return null
  } catch (error) {
    return (error as Error).message
  } finally {
    db?.close()
  }
}

/**
 * Puts the newest sound backup in place of a damaged workspace: each generation is checked
 * (`quick_check`) first and a bad one skipped; the restore is refused while another connection
 * holds the workspace (it would swap the file under a running app). The damaged file and its
 * -wal/-shm are moved aside (`<workspace>.damaged-<time>`, kept for inspection; a stale -wal
 * would otherwise be replayed into the restored copy), then the backup is copied to a fsynced
 * temporary file renamed to the workspace path. Returns where the damaged file went.
 */
export function restoreBackup(workspacePath: string, now = new Date()): { restoredFrom: string; damaged: string } {
  const backups = listBackups(workspacePath)
  if (backups.length === 0) {
    throw new ClipcastError('WORKSPACE_NO_BACKUP', `There is no automatic backup of ${workspacePath} (${backupPath(workspacePath)}).`, {
      hint: 'Open or create another workspace file.',
    })
  }
  const problems: string[] = []
  const backup = backups.find((candidate) => {
    const problem = checkDatabaseFile(candidate.path)
    if (problem !== null) problems.push(`${candidate.path}: ${problem}`)
    return problem === null
  })
  if (!backup) {
    throw new ClipcastError('WORKSPACE_NO_BACKUP', `No backup of ${workspacePath} passes its integrity check (${problems.join('; ')}).`, {
      hint: 'Open or create another workspace file; the backups were left as they are.',
      details: { problems },
    })
  }
  assertNotInUse(workspacePath)
  const damaged = `${workspacePath}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(workspacePath + suffix)) renameSync(workspacePath + suffix, damaged + suffix)
  }
  const temp = tempPathBeside(workspacePath)
  copyFileSync(backup.path, temp)
  fsyncFile(temp)
  renameSync(temp, workspacePath)
  fsyncDirectory(dirname(workspacePath))
  return { restoredFrom: backup.path, damaged }
}

/**
 * WORKSPACE_IN_USE when another connection (this process or another) has the workspace open:
 * an EXCLUSIVE lock is only granted when no other connection holds even a shared one.
 */
function assertNotInUse(workspacePath: string): void {
  if (!existsSync(workspacePath)) return
  let db: Database.Database | undefined
  try {
    const nativeBinding = process.env.CLIPCAST_SQLITE_BINDING
    db = new Database(workspacePath, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
    db.pragma('busy_timeout = 0')
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE; COMMIT')
  } catch (error) {
    const code = (error as { code?: string }).code ?? ''
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new ClipcastError('WORKSPACE_IN_USE', `The workspace ${workspacePath} is open in another Clipcast window, server or terminal.`, {
        hint: 'Close the other Clipcast (app, clipcast serve or a training) first, then restore again; nothing was changed.',
        details: { path: workspacePath },
      })
    }
    // a file too damaged to lock is not one another process can be using either
  } finally {
    db?.close()
  }
}

function tempPathBeside(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
}

/** Flushes a file's bytes to the disk, so a rename after it cannot expose a hole after a power cut. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Flushes a folder's entries (the renames in it); some platforms cannot open a folder, which is then skipped. */
export function fsyncDirectory(path: string): void {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch {
    // Windows refuses fsync on a folder handle; NTFS journals the rename itself
  } finally {
    closeSync(fd)
  }
}
