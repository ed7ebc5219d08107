import type { Warning } from '../../shared/api'
import { writeTransaction, type Db } from './workspace'

/**
 * Stores a warning on its run; false when the run already has it (the same data warning raised
 * again by a resume, the same forecast warning by a second forecast). A warning that cannot be
 * stored (the workspace is full or locked) is not worth ending a training for: false as well.
 */
export function addRunWarning(db: Db, runId: number, warning: Warning): boolean {
  try {
    return writeTransaction(db, () =>
      db.prepare('INSERT OR IGNORE INTO run_warnings (run_id, code, message, created_at) VALUES (?, ?, ?, ?)').run(runId, warning.code, warning.message, new Date().toISOString()).changes === 1,
    )
  } catch {
    return false
  }
}

/** A run's warnings in the order they were first raised. */
export function listRunWarnings(db: Db, runId: number): Warning[] {
  return db.prepare('SELECT code, message FROM run_warnings WHERE run_id = ? ORDER BY id').all(runId) as Warning[]
}
