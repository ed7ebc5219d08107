import type { EpochRecord } from '../../shared/api'
import type { Scaler } from '../data/scaler'
import { writeCheckpoint, type CheckpointInput } from './checkpoints'
import { insertEpoch, setBest } from './runs'
import { writeTransaction, type Db } from './workspace'

/**
 * A finished epoch in one transaction: its metrics row, the `last` checkpoint and, when the
 * epoch improved on the best score, the `best` checkpoint and the run's best epoch. Either all
 * of it is committed or none (docs/reliability.md, cases 1 and 5).
 */
export function commitEpoch(db: Db, runId: number, epoch: { record: EpochRecord; checkpoint: CheckpointInput; bestScore: number | null }): void {
  writeTransaction(db, () => {
    insertEpoch(db, runId, epoch.record)
    writeCheckpoint(db, runId, 'last', epoch.checkpoint)
    if (epoch.bestScore !== null) {
      writeCheckpoint(db, runId, 'best', epoch.checkpoint)
      setBest(db, runId, epoch.checkpoint.epoch, epoch.bestScore)
    }
  })
}

/** Removes the run's epoch rows after `afterEpoch`, or all of them without it: they are trained again. */
export function deleteEpochs(db: Db, runId: number, afterEpoch?: number): void {
  if (afterEpoch === undefined) db.prepare('DELETE FROM epochs WHERE run_id = ?').run(runId)
  else db.prepare('DELETE FROM epochs WHERE run_id = ? AND epoch > ?').run(runId, afterEpoch)
}

/** The scaler fitted for the run when it first started (what a resume without a checkpoint reuses). */
export function readRunScaler(db: Db, runId: number): Scaler | undefined {
  const row = db.prepare('SELECT scaler_json FROM runs WHERE id = ?').get(runId) as { scaler_json: string | null } | undefined
  return row?.scaler_json ? (JSON.parse(row.scaler_json) as Scaler) : undefined
}

export function saveRunScaler(db: Db, runId: number, scaler: Scaler): void {
  db.prepare('UPDATE runs SET scaler_json = ? WHERE id = ?').run(JSON.stringify(scaler), runId)
}
