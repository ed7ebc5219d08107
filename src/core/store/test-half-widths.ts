import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'
import type { Db } from './workspace'

/**
 * Each test window's interval half-widths as a run's evaluation calibrated them at its origin
 * (src/core/eval/calibrate.ts), with the best checkpoint they came from: the test period and
 * the test export read them instead of walking the calibration again.
 */
export interface TestHalfWidths {
  /** The best checkpoint's epoch and SHA-256 when the evaluation ran. */
  epoch: number
  checkpointSha256: string
  levels: number[]
  windows: number
  /** horizon · targets */
  cells: number
  /** By level, [windows, cells]. */
  halfWidth: Record<string, Float64Array>
}

interface Row {
  epoch: number
  checkpoint_sha256: string
  levels_json: string
  windows: number
  cells: number
  half_width_blob: Buffer
}

// a cell's widths change little from one window to the next (each is a quantile of a sample
// that gains one residual a window), so the blob holds each cell's run of windows together:
// float64 little-endian [levels, cells, windows], Brotli-compressed (quality 9: on Seattle
// hourly a fifth of the raw size in tens of milliseconds; quality 11 saves a tenth more in seconds)
const BROTLI = { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }

function encode(widths: TestHalfWidths): Buffer {
  const { windows, cells } = widths
  const raw = Buffer.alloc(widths.levels.length * windows * cells * 8)
  let offset = 0
  for (const level of widths.levels) {
    const values = widths.halfWidth[String(level)]!
    for (let c = 0; c < cells; c++) for (let w = 0; w < windows; w++) offset = raw.writeDoubleLE(values[w * cells + c]!, offset)
  }
  return brotliCompressSync(raw, BROTLI)
}

function decode(row: Row): TestHalfWidths | undefined {
  const levels = JSON.parse(row.levels_json) as number[]
  const { windows, cells } = row
  let raw: Buffer
  try {
    raw = brotliDecompressSync(row.half_width_blob)
  } catch {
    return undefined
  }
  if (raw.length !== levels.length * windows * cells * 8) return undefined
  const halfWidth: Record<string, Float64Array> = {}
  let offset = 0
  for (const level of levels) {
    const values = (halfWidth[String(level)] = new Float64Array(windows * cells))
    for (let c = 0; c < cells; c++) for (let w = 0; w < windows; w++, offset += 8) values[w * cells + c] = raw.readDoubleLE(offset)
  }
  return { epoch: row.epoch, checkpointSha256: row.checkpoint_sha256, levels, windows, cells, halfWidth }
}

/**
 * Replaces the run's stored half-widths (none: removes them, so an evaluation without
 * intervals leaves nothing stale behind). Call inside the transaction that writes the run's
 * metrics, so the two never disagree.
 */
export function replaceTestHalfWidths(db: Db, runId: number, widths: TestHalfWidths | undefined): void {
  db.prepare('DELETE FROM run_test_intervals WHERE run_id = ?').run(runId)
  if (!widths) return
  db.prepare(
    `INSERT INTO run_test_intervals (run_id, epoch, checkpoint_sha256, levels_json, windows, cells, half_width_blob, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(runId, widths.epoch, widths.checkpointSha256, JSON.stringify(widths.levels), widths.windows, widths.cells, encode(widths), new Date().toISOString())
}

/**
 * The run's stored half-widths when they came from `checkpoint` (its epoch and SHA-256: a
 * resume to a new best epoch, or a fallback to the other checkpoint, makes them stale);
 * undefined when absent (a run evaluated before they were stored), stale or unreadable, and
 * the caller recomputes them.
 */
export function readTestHalfWidths(db: Db, runId: number, checkpoint: { epoch: number; sha256: string }): TestHalfWidths | undefined {
  const row = db.prepare('SELECT epoch, checkpoint_sha256, levels_json, windows, cells, half_width_blob FROM run_test_intervals WHERE run_id = ?').get(runId) as Row | undefined
  if (!row || row.epoch !== checkpoint.epoch || row.checkpoint_sha256 !== checkpoint.sha256) return undefined
  return decode(row)
}

/** The stored blob's size in bytes (what a run adds to the workspace file), 0 without a row. */
export function testHalfWidthsSizeBytes(db: Db, runId: number): number {
  const row = db.prepare('SELECT length(half_width_blob) AS size FROM run_test_intervals WHERE run_id = ?').get(runId) as { size: number } | undefined
  return row?.size ?? 0
}
