import { ClipcastError, type ErrorData } from '../../shared/errors'
import type { RunConfig, RunStatus } from '../../shared/run-config'
import { isActiveStatus, isResumableStatus } from '../../shared/run-status'
import type { EpochRecord, Recovery, RunDetail, RunSummary } from '../../shared/api'
import { readRunRow, SUMMARY_SELECT, type RunRow } from './run-rows'
import { listRunWarnings } from './run-warnings'
import { listCheckpoints } from './checkpoints'
import type { Db } from './workspace'


export interface RunOwner {
  pid: number
  token: string
}

/** Inserts a queued run owned by the calling process; the worker claims it when it starts. */
export function createRun(db: Db, config: RunConfig, dataSha256: string, owner: RunOwner): number {
  const now = new Date().toISOString()
  const result = db
    .prepare(
      `INSERT INTO runs (dataset_id, config_json, status, seed, data_sha256, created_at, owner_pid, owner_token, heartbeat_at)
       VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)`,
    )
    .run(config.datasetId, JSON.stringify(config), config.seed, dataSha256, now, owner.pid, owner.token, now)
  return Number(result.lastInsertRowid)
}

/** Marks a run as running in this process; returns false when another process owns it. */
export function claimRun(db: Db, id: number, owner: RunOwner, details: { backend: string; versions: Record<string, string> }): void {
  const now = new Date().toISOString()
  db.prepare(
    `UPDATE runs SET status = 'running', backend = ?, versions_json = ?, owner_pid = ?, owner_token = ?, heartbeat_at = ?,
       started_at = coalesce(started_at, ?), finished_at = NULL, error_json = NULL WHERE id = ?`,
  ).run(details.backend, JSON.stringify(details.versions), owner.pid, owner.token, now, now, id)
}

/** Records how many threads the run really computed with (the wasm partner counts only once it took work). */
export function recordRunThreads(db: Db, id: number, usage: { threads: number; partnerCalls: number }): void {
  const versions = { ...runVersions(db, id), threads: String(usage.threads), partnerCalls: String(usage.partnerCalls) }
  db.prepare('UPDATE runs SET versions_json = ? WHERE id = ?').run(JSON.stringify(versions), id)
}

/** Hands a resumable run to a new owner (queued) atomically; RUN_NOT_RESUMABLE otherwise. */
export function requeueRun(db: Db, id: number, owner: RunOwner, config: RunConfig): void {
  const run = getRunSummary(db, id)
  if (!isResumableStatus(run.status)) {
    throw new ClipcastError('RUN_NOT_RESUMABLE', `Run ${id} is ${run.status}; only a stopped or interrupted run can be resumed.`, {
      hint: isActiveStatus(run.status) ? 'It is still training; wait for it or stop it first.' : 'Start a new run with clipcast train instead.',
      details: { status: run.status },
    })
  }
  const now = new Date().toISOString()
  const changed = db
    .prepare(`UPDATE runs SET status = 'queued', config_json = ?, owner_pid = ?, owner_token = ?, heartbeat_at = ?, error_json = NULL WHERE id = ? AND status IN ('stopped','interrupted')`)
    .run(JSON.stringify(config), owner.pid, owner.token, now, id).changes
  if (changed !== 1) throw new ClipcastError('RUN_NOT_RESUMABLE', `Run ${id} changed state while it was being resumed.`, { hint: 'Look at clipcast show and try again.' })
}

export function setBest(db: Db, id: number, epoch: number, valLoss: number): void {
  db.prepare('UPDATE runs SET best_epoch = ?, best_val_loss = ? WHERE id = ?').run(epoch, valLoss, id)
}

/** Ends a run: final status, optional error and metrics, owner released. */
export function finishRun(db: Db, id: number, status: RunStatus, extra: { error?: ErrorData; metrics?: unknown; baselines?: unknown } = {}): void {
  db.prepare(
    `UPDATE runs SET status = ?, finished_at = ?, error_json = ?, metrics_json = coalesce(?, metrics_json), baselines_json = coalesce(?, baselines_json),
       owner_pid = NULL, owner_token = NULL WHERE id = ?`,
  ).run(
    status,
    new Date().toISOString(),
    extra.error ? JSON.stringify(extra.error) : null,
    extra.metrics === undefined ? null : JSON.stringify(extra.metrics),
    extra.baselines === undefined ? null : JSON.stringify(extra.baselines),
    id,
  )
}

/**
 * Ends a run that is still `running` or `queued` under this owner (its process is gone
 * without ending it); false when it had already ended or passed to another owner.
 */
export function finishOwnedRun(db: Db, id: number, token: string, status: RunStatus, error?: ErrorData): boolean {
  const row = db.prepare('SELECT status, owner_token FROM runs WHERE id = ?').get(id) as { status: string; owner_token: string | null } | undefined
  if (!row || !isActiveStatus(row.status) || row.owner_token !== token) return false
  finishRun(db, id, status, error ? { error } : {})
  return true
}

/** Stores evaluation results (the evaluation service calls this too). */
export function setRunMetrics(db: Db, id: number, metrics: unknown, baselines?: unknown): void {
  db.prepare('UPDATE runs SET metrics_json = ?, baselines_json = coalesce(?, baselines_json) WHERE id = ?').run(
    JSON.stringify(metrics),
    baselines === undefined ? null : JSON.stringify(baselines),
    id,
  )
}

export function heartbeatRuns(db: Db, token: string): void {
  db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE owner_token = ? AND status IN ('queued','running')`).run(new Date().toISOString(), token)
}

export function insertEpoch(db: Db, runId: number, record: EpochRecord): void {
  db.prepare(
    `INSERT INTO epochs (run_id, epoch, train_loss, val_loss, grad_norm_mean, grad_norm_p50, grad_norm_p95, grad_norm_max, clipped_fraction, lr, clip_threshold, seconds, layer_norms_json, step_norms_blob)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    record.epoch,
    finiteOrNull(record.trainLoss) ?? Number.MAX_VALUE,
    finiteOrNull(record.valLoss),
    finiteOrNull(record.gradNorm.mean) ?? Number.MAX_VALUE,
    finiteOrNull(record.gradNorm.p50) ?? Number.MAX_VALUE,
    finiteOrNull(record.gradNorm.p95) ?? Number.MAX_VALUE,
    finiteOrNull(record.gradNorm.max) ?? Number.MAX_VALUE,
    record.clippedFraction,
    record.lr,
    record.clipThreshold,
    record.seconds,
    record.layerNorms ? JSON.stringify(record.layerNorms) : null,
    record.stepNorms ? encodeStepNorms(record.stepNorms) : null,
  )
}

/** Float32 little-endian, whatever the machine: 4 bytes a step. */
export function encodeStepNorms(norms: readonly number[]): Buffer {
  const blob = Buffer.alloc(norms.length * 4)
  norms.forEach((v, i) => blob.writeFloatLE(v, i * 4))
  return blob
}

export function decodeStepNorms(blob: Buffer): number[] {
  return Array.from({ length: blob.length >>> 2 }, (_, i) => blob.readFloatLE(i * 4))
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null
}

export function insertRecovery(db: Db, runId: number, recovery: Recovery): void {
  db.prepare('INSERT INTO recoveries (run_id, epoch, step, reason, lr, clip_threshold, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    runId,
    recovery.epoch,
    recovery.step,
    recovery.reason,
    recovery.lr,
    recovery.clipThreshold,
    new Date().toISOString(),
  )
}

/**
 * A run's epoch records. `stepNorms: false` leaves out each step's gradient norm (one value per
 * training step), which the run table and run groups, listing every run, never read.
 */
export function listEpochs(db: Db, runId: number, options: { stepNorms?: boolean } = {}): EpochRecord[] {
  const columns = options.stepNorms === false ? EPOCH_COLUMNS_WITHOUT_STEP_NORMS : '*'
  const rows = db.prepare(`SELECT ${columns} FROM epochs WHERE run_id = ? ORDER BY epoch`).all(runId) as Array<Record<string, number | string | Buffer | null>>
  return rows.map((r) => ({
    epoch: r.epoch as number,
    trainLoss: r.train_loss as number,
    valLoss: r.val_loss as number | null,
    gradNorm: { mean: r.grad_norm_mean as number, p50: r.grad_norm_p50 as number, p95: r.grad_norm_p95 as number, max: r.grad_norm_max as number },
    clippedFraction: r.clipped_fraction as number,
    lr: r.lr as number,
    clipThreshold: r.clip_threshold as number | null,
    seconds: r.seconds as number,
    ...(r.layer_norms_json ? { layerNorms: JSON.parse(r.layer_norms_json as string) as Record<string, number> } : {}),
    ...(r.step_norms_blob ? { stepNorms: decodeStepNorms(r.step_norms_blob as Buffer) } : {}),
  }))
}

const EPOCH_COLUMNS_WITHOUT_STEP_NORMS = 'epoch, train_loss, val_loss, grad_norm_mean, grad_norm_p50, grad_norm_p95, grad_norm_max, clipped_fraction, lr, clip_threshold, seconds, layer_norms_json'

export function listRecoveries(db: Db, runId: number): Recovery[] {
  const rows = db.prepare('SELECT epoch, step, reason, lr, clip_threshold FROM recoveries WHERE run_id = ? ORDER BY id').all(runId) as Array<{
    epoch: number
    step: number
    reason: string
    lr: number
    clip_threshold: number | null
  }>
  return rows.map((r) => ({ epoch: r.epoch, step: r.step, reason: r.reason, lr: r.lr, clipThreshold: r.clip_threshold }))
}

/** All runs, newest first; a row that cannot be read is listed as unreadable instead of breaking the list. */
export function listRuns(db: Db): RunSummary[] {
  return (db.prepare(`${SUMMARY_SELECT} ORDER BY r.id DESC`).all() as RunRow[]).map(readRunRow)
}

/** One run; RUN_UNREADABLE when its stored row does not parse (see readRunRow). */
export function getRunSummary(db: Db, id: number): RunSummary {
  const run = readRunRow(getRunRow(db, id))
  if (run.unreadable !== undefined) {
    throw new ClipcastError('RUN_UNREADABLE', `Run ${id} cannot be read: ${run.unreadable}.`, {
      hint: `It may have been written by a newer Clipcast; open it there, or delete it with clipcast runs delete ${id}.`,
      details: { id, reason: run.unreadable },
    })
  }
  return run
}

function getRunRow(db: Db, id: number): RunRow {
  const row = db.prepare(`${SUMMARY_SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined
  if (!row) throw new ClipcastError('RUN_NOT_FOUND', `There is no run ${id} in this workspace.`, { hint: 'List the runs with clipcast runs.' })
  return row
}

function runVersions(db: Db, id: number): Record<string, string> {
  const row = db.prepare('SELECT versions_json FROM runs WHERE id = ?').get(id) as { versions_json: string | null } | undefined
  return row?.versions_json ? (JSON.parse(row.versions_json) as Record<string, string>) : {}
}

export function getRun(db: Db, id: number): RunDetail {
  return { ...getRunSummary(db, id), versions: runVersions(db, id), epochRecords: listEpochs(db, id), recoveries: listRecoveries(db, id), checkpoints: listCheckpoints(db, id), warnings: listRunWarnings(db, id) }
}

/** Deletes a run with its epochs, recoveries, checkpoints and forecasts (foreign keys cascade). */
export function deleteRun(db: Db, id: number): void {
  // an unreadable run can still be deleted: that is the way out of one
  const run = readRunRow(getRunRow(db, id))
  if (isActiveStatus(run.status) && !isOwnerGone(db, id)) {
    throw new ClipcastError('RUN_ALREADY_ACTIVE', `Run ${id} is ${run.status}; it cannot be deleted while it trains.`, { hint: 'Stop it first.' })
  }
  db.prepare('DELETE FROM runs WHERE id = ?').run(id)
}

/** Tokens of the run owners alive in this process (training managers register theirs). */
const liveTokens = new Set<string>()

export function registerLiveToken(token: string): void {
  liveTokens.add(token)
}

export function unregisterLiveToken(token: string): void {
  liveTokens.delete(token)
}

// a live pid whose heartbeat is this old belongs to another program that reused the pid
export const HEARTBEAT_STALE_MS = 120_000

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function ownerGone(row: { owner_pid: number | null; owner_token: string | null; heartbeat_at: string | null }, nowMs: number): boolean {
  if (row.owner_pid === null || row.owner_token === null) return true
  if (row.owner_pid === process.pid) return !liveTokens.has(row.owner_token)
  if (!processAlive(row.owner_pid)) return true
  const beat = row.heartbeat_at ? Date.parse(row.heartbeat_at) : NaN
  return !(nowMs - beat < HEARTBEAT_STALE_MS)
}

function isOwnerGone(db: Db, id: number): boolean {
  const row = db.prepare('SELECT owner_pid, owner_token, heartbeat_at FROM runs WHERE id = ?').get(id) as
    | { owner_pid: number | null; owner_token: string | null; heartbeat_at: string | null }
    | undefined
  return row === undefined || ownerGone(row, Date.now())
}

/**
 * Marks `queued`/`running` runs whose owner process is gone as `interrupted` (kill -9, crash,
 * power cut): the owner pid is dead, or it is this process but no live manager holds the
 * token, or the pid lives but has not beaten its heart for HEARTBEAT_STALE_MS (pid reuse).
 * A run another live process trains is left alone. Returns the ids it marked.
 */
export function detectInterruptedRuns(db: Db, nowMs = Date.now()): number[] {
  if (db.readonly) return []
  const rows = db.prepare(`SELECT id, owner_pid, owner_token, heartbeat_at FROM runs WHERE status IN ('queued','running')`).all() as Array<{
    id: number
    owner_pid: number | null
    owner_token: string | null
    heartbeat_at: string | null
  }>
  const marked: number[] = []
  const mark = db.prepare(
    `UPDATE runs SET status = 'interrupted', finished_at = ?, owner_pid = NULL, owner_token = NULL WHERE id = ? AND status IN ('queued','running') AND owner_token IS ?`,
  )
  for (const row of rows) {
    if (!ownerGone(row, nowMs)) continue
    if (mark.run(new Date(nowMs).toISOString(), row.id, row.owner_token).changes === 1) marked.push(row.id)
  }
  return marked
}
