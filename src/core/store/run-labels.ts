import { applyLabelChange, type RunLabelChange, type RunLabels } from '../../shared/run-labels'
import { getRunSummary } from './runs'
import { writeTransaction, type Db } from './workspace'

interface LabelRow {
  run_id: number
  tags_json: string
  note: string
}

const toLabels = (row: LabelRow): RunLabels => ({ runId: row.run_id, tags: JSON.parse(row.tags_json) as string[], note: row.note })

/** A run's tags and note (none yet: no tags, an empty note); RUN_NOT_FOUND for a run that does not exist. */
export function getRunLabels(db: Db, runId: number): RunLabels {
  getRunSummary(db, runId)
  const row = db.prepare('SELECT run_id, tags_json, note FROM run_labels WHERE run_id = ?').get(runId) as LabelRow | undefined
  return row ? toLabels(row) : { runId, tags: [], note: '' }
}

/** Applies a change to a run's labels in one transaction (a read and a write that another process cannot split); returns the labels after it. */
export function changeRunLabels(db: Db, runId: number, change: RunLabelChange): RunLabels {
  return writeTransaction(db, () => {
    const current = getRunLabels(db, runId)
    const next = applyLabelChange(current, change)
    db.prepare(
      `INSERT INTO run_labels (run_id, tags_json, note, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET tags_json = excluded.tags_json, note = excluded.note, updated_at = excluded.updated_at`,
    ).run(runId, JSON.stringify(next.tags), next.note, new Date().toISOString())
    return next
  })
}

/** Every run's labels that has any, by run id. */
export function listRunLabels(db: Db): Map<number, RunLabels> {
  const rows = db.prepare('SELECT run_id, tags_json, note FROM run_labels').all() as LabelRow[]
  return new Map(rows.map((row) => [row.run_id, toLabels(row)]))
}
