import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { ClipcastError } from '../../shared/errors'
import type Database from 'better-sqlite3'

/**
 * The automatic backup of a workspace (RELIABILITY 7): `<workspace>.backup`, a consistent copy
 * made at most once a day right after an open whose integrity check passed, so a workspace that
 * is later truncated or corrupted has a known-good copy beside it.
 */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000

export function backupPath(workspacePath: string): string {
  return `${workspacePath}.backup`
}

/** The backup of a workspace and when it was made; null when there is none. */
export function findBackup(workspacePath: string): { path: string; madeAt: Date } | null {
  const path = backupPath(workspacePath)
  try {
    return { path, madeAt: statSync(path).mtime }
  } catch {
    return null
  }
}

/**
 * Writes the backup when the last one is older than BACKUP_INTERVAL_MS. `VACUUM INTO` (SQLite
 * ≥ 3.27) is a synchronous, transactionally consistent copy that runs beside other readers and
 * the WAL writer; it goes to a temporary file renamed into place, so a crash mid-copy never
 * leaves a half backup. A backup that cannot be written (disk full, read-only folder) is
 * skipped: it must never stop the workspace from opening. Returns whether it wrote one.
 */
export function backupIfDue(db: Database.Database, workspacePath: string, now = Date.now()): boolean {
  const last = findBackup(workspacePath)
  if (last && now - last.madeAt.getTime() < BACKUP_INTERVAL_MS) return false
  const temp = `${backupPath(workspacePath)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    db.prepare('VACUUM INTO ?').run(temp)
    renameSync(temp, backupPath(workspacePath))
    return true
  } catch {
    rmSync(temp, { force: true })
    return false
  }
}

/**
 * Puts the backup in place of a damaged workspace: the damaged file and its -wal/-shm are moved
 * aside (`<workspace>.damaged-<time>`, kept for inspection; a stale -wal would otherwise be
 * replayed into the restored copy), then the backup is copied to the workspace path. Call it
 * with the workspace closed. Returns where the damaged file went.
 */
export function restoreBackup(workspacePath: string, now = new Date()): { restoredFrom: string; damaged: string } {
  const backup = findBackup(workspacePath)
  if (!backup) {
    throw new ClipcastError('WORKSPACE_NO_BACKUP', `There is no automatic backup of ${workspacePath} (${backupPath(workspacePath)}).`, {
      hint: 'Open or create another workspace file.',
    })
  }
  const damaged = `${workspacePath}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(workspacePath + suffix)) renameSync(workspacePath + suffix, damaged + suffix)
  }
  const temp = `${workspacePath}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  copyFileSync(backup.path, temp)
  renameSync(temp, workspacePath)
  return { restoredFrom: backup.path, damaged }
}
