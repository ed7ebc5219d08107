import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'
import type { TestForecasts } from '../../shared/experiments'
import type { Db } from './workspace'

// JSON writes each double as the shortest string that reads back to it, so the stored forecasts
// are the computed ones to the last bit; Brotli at quality 9 as test-half-widths.ts
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }

/**
 * Stores Compare's test forecasts of a run (src/core/eval/test-forecasts.ts) with the
 * checkpoint they came from (its epoch and SHA-256), replacing any earlier ones.
 */
export function writeTestForecasts(db: Db, runId: number, checkpoint: { epoch: number; sha256: string }, forecasts: TestForecasts): void {
  db.prepare(
    `INSERT INTO run_test_forecasts (run_id, epoch, checkpoint_sha256, forecasts_blob, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (run_id) DO UPDATE SET epoch = excluded.epoch, checkpoint_sha256 = excluded.checkpoint_sha256,
       forecasts_blob = excluded.forecasts_blob, created_at = excluded.created_at`,
  ).run(runId, checkpoint.epoch, checkpoint.sha256, brotliCompressSync(JSON.stringify(forecasts), BROTLI), new Date().toISOString())
}

/**
 * The run's stored test forecasts when they came from its current best checkpoint (the same
 * epoch and SHA-256 as its row in checkpoints: a resume to a new best epoch, the warm start
 * kept, or forecasts made from the last checkpoint because the best one was corrupt, never
 * match); undefined when absent, stale or unreadable, and the caller computes them.
 */
export function readTestForecasts(db: Db, runId: number): TestForecasts | undefined {
  const row = db
    .prepare(
      `SELECT f.forecasts_blob AS blob FROM run_test_forecasts f
       JOIN checkpoints c ON c.run_id = f.run_id AND c.kind = 'best' AND c.epoch = f.epoch AND c.sha256 = f.checkpoint_sha256
       WHERE f.run_id = ?`,
    )
    .get(runId) as { blob: Buffer } | undefined
  if (!row) return undefined
  try {
    return JSON.parse(brotliDecompressSync(row.blob).toString('utf8')) as TestForecasts
  } catch {
    return undefined
  }
}
