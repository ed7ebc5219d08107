import type { BacktestResult } from '../train/backtest'
import type { Db } from './workspace'

/** Backtests of a run, kept with it (deleted with it by cascade). */
export interface StoredBacktest extends BacktestResult {
  id: number
  createdAt: string
}

export function insertBacktest(db: Db, result: BacktestResult): StoredBacktest {
  const createdAt = new Date().toISOString()
  const id = Number(
    db
      .prepare('INSERT INTO backtests (run_id, folds, epochs, created_at, result_json) VALUES (?, ?, ?, ?, ?)')
      .run(result.runId, result.folds.length, result.epochs, createdAt, JSON.stringify(result)).lastInsertRowid,
  )
  return { ...result, id, createdAt }
}

/** The run's backtests, newest first. */
export function listBacktests(db: Db, runId: number): StoredBacktest[] {
  const rows = db.prepare('SELECT id, created_at, result_json FROM backtests WHERE run_id = ? ORDER BY id DESC').all(runId) as Array<{ id: number; created_at: string; result_json: string }>
  return rows.map((row) => ({ ...(JSON.parse(row.result_json) as BacktestResult), id: row.id, createdAt: row.created_at }))
}
