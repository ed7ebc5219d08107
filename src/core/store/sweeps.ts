import { ClipcastError, type ErrorData } from '../../shared/errors'
import { RunConfigSchema, type RunConfigInput, type RunStatus } from '../../shared/run-config'
import { trialState, type SweepDetail, type SweepSpec, type SweepTrial } from '../../shared/sweeps'
import { writeTransaction, type Db } from './workspace'

interface TrialRow {
  trial: number
  values_json: string
  config_json: string
  run_id: number | null
  error_json: string | null
  status: RunStatus | null
}

/** Stores a sweep and its trials (the queue) in one transaction; returns its id. */
export function createSweep(
  db: Db,
  sweep: { datasetId: number; spec: SweepSpec; baseConfig: RunConfigInput; parallel: number; trials: Array<{ values: Record<string, number | string>; config: RunConfigInput }> },
): number {
  return writeTransaction(db, () => {
    const id = Number(
      db
        .prepare('INSERT INTO sweeps (dataset_id, created_at, spec_json, base_config_json, parallel) VALUES (?, ?, ?, ?, ?)')
        .run(sweep.datasetId, new Date().toISOString(), JSON.stringify(sweep.spec), JSON.stringify(sweep.baseConfig), sweep.parallel).lastInsertRowid,
    )
    const insert = db.prepare('INSERT INTO sweep_trials (sweep_id, trial, values_json, config_json) VALUES (?, ?, ?, ?)')
    sweep.trials.forEach((trial, index) => insert.run(id, index + 1, JSON.stringify(trial.values), JSON.stringify(trial.config)))
    return id
  })
}

function toTrial(row: TrialRow): SweepTrial {
  const error = row.error_json ? (JSON.parse(row.error_json) as ErrorData) : null
  return {
    trial: row.trial,
    values: JSON.parse(row.values_json) as Record<string, number | string>,
    config: RunConfigSchema.parse(JSON.parse(row.config_json)),
    runId: row.run_id,
    runStatus: row.status,
    state: trialState(row.status, error),
    error,
  }
}

export function getSweep(db: Db, id: number): SweepDetail {
  const row = db.prepare('SELECT id, dataset_id, created_at, finished_at, spec_json, parallel FROM sweeps WHERE id = ?').get(id) as
    | { id: number; dataset_id: number; created_at: string; finished_at: string | null; spec_json: string; parallel: number }
    | undefined
  if (!row) throw new ClipcastError('SWEEP_NOT_FOUND', `There is no sweep ${id} in this workspace.`, { hint: 'Choose one of the sweeps of this workspace (the Sweep view or clipcast sweep --list lists them).' })
  const trials = db
    .prepare('SELECT t.trial, t.values_json, t.config_json, t.run_id, t.error_json, r.status FROM sweep_trials t LEFT JOIN runs r ON r.id = t.run_id WHERE t.sweep_id = ? ORDER BY t.trial')
    .all(id) as TrialRow[]
  return {
    id: row.id,
    datasetId: row.dataset_id,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    spec: JSON.parse(row.spec_json) as SweepSpec,
    parallel: row.parallel,
    trials: trials.map(toTrial),
  }
}

/** Every sweep, newest first. */
export function listSweeps(db: Db): SweepDetail[] {
  return (db.prepare('SELECT id FROM sweeps ORDER BY id DESC').all() as Array<{ id: number }>).map((row) => getSweep(db, row.id))
}

/**
 * Links a new run to a trial that has none; false when another process took the trial first.
 * Called inside the transaction that creates the run, so the two commit together.
 */
export function linkTrialRun(db: Db, sweepId: number, trial: number, runId: number): boolean {
  return db.prepare('UPDATE sweep_trials SET run_id = ?, error_json = NULL WHERE sweep_id = ? AND trial = ? AND run_id IS NULL AND error_json IS NULL').run(runId, sweepId, trial).changes === 1
}

/** Records why a trial's run could not start (its configuration does not fit the data, say). */
export function failTrial(db: Db, sweepId: number, trial: number, error: ErrorData): void {
  db.prepare('UPDATE sweep_trials SET error_json = ? WHERE sweep_id = ? AND trial = ? AND run_id IS NULL').run(JSON.stringify(error), sweepId, trial)
}

export function finishSweep(db: Db, id: number): void {
  db.prepare('UPDATE sweeps SET finished_at = ? WHERE id = ?').run(new Date().toISOString(), id)
}

/** Which sweep and trial each run belongs to (runs outside any sweep are absent). */
export function sweepMembership(db: Db): Map<number, { sweepId: number; trial: number }> {
  const rows = db.prepare('SELECT run_id, sweep_id, trial FROM sweep_trials WHERE run_id IS NOT NULL').all() as Array<{ run_id: number; sweep_id: number; trial: number }>
  return new Map(rows.map((row) => [row.run_id, { sweepId: row.sweep_id, trial: row.trial }]))
}
