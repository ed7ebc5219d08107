import type { Metrics, RunSummary } from '../../shared/api'
import type { ErrorData } from '../../shared/errors'
import { RUN_STATUSES, RunConfigSchema, type RunStatus } from '../../shared/run-config'

export interface RunRow {
  id: number
  dataset_id: number
  config_json: string
  status: RunStatus
  backend: string | null
  created_at: string
  best_epoch: number | null
  best_val_loss: number | null
  metrics_json: string | null
  baselines_json: string | null
  error_json: string | null
  epoch_count: number
}

export const SUMMARY_SELECT = `SELECT r.id, r.dataset_id, r.config_json, r.status, r.backend, r.created_at, r.best_epoch, r.best_val_loss,
  r.metrics_json, r.baselines_json, r.error_json, (SELECT count(*) FROM epochs e WHERE e.run_id = r.id) AS epoch_count FROM runs r`

export function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    status: row.status,
    backend: row.backend,
    createdAt: row.created_at,
    bestEpoch: row.best_epoch,
    epochs: row.epoch_count,
    bestValLoss: row.best_val_loss,
    config: RunConfigSchema.parse(JSON.parse(row.config_json)),
    metrics: row.metrics_json ? (JSON.parse(row.metrics_json) as Metrics) : null,
    baselines: row.baselines_json ? (JSON.parse(row.baselines_json) as Record<string, Metrics>) : null,
    error: row.error_json ? (JSON.parse(row.error_json) as ErrorData) : null,
  }
}

/**
 * A run row as a summary, each row on its own: one that does not parse (a config from a newer
 * Clipcast, a damaged JSON column) comes back with `unreadable` set to the reason, its stored
 * id, dataset, status and counts, and a default config that only keeps the type whole, so that
 * one bad row never breaks a listing (reliability 7).
 */
export function readRunRow(row: RunRow): RunSummary {
  try {
    return toSummary(row)
  } catch (error) {
    return {
      id: row.id,
      datasetId: row.dataset_id,
      status: (RUN_STATUSES as readonly string[]).includes(row.status) ? row.status : 'failed',
      backend: row.backend,
      createdAt: row.created_at,
      bestEpoch: row.best_epoch,
      epochs: row.epoch_count,
      bestValLoss: row.best_val_loss,
      config: RunConfigSchema.parse({ datasetId: Math.max(1, row.dataset_id) }),
      metrics: null,
      baselines: null,
      error: null,
      unreadable: reasonOf(error),
    }
  }
}

function reasonOf(error: unknown): string {
  const issues = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues
  if (Array.isArray(issues)) return `its configuration does not parse (${issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ')})`
  return `a stored field does not parse (${(error as Error).message})`
}
