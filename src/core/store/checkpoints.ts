import { createHash } from 'node:crypto'
import { endianness } from 'node:os'
import { ClipcastError } from '../../shared/errors'
import { StoredRunConfigSchema, type RunConfig } from '../../shared/run-config'
import type { CheckpointInfo, Warning } from '../../shared/api'
import type { Scaler } from '../data/scaler'
import type { NormHistoryState } from '../train/autoclip'
import type { Db } from './workspace'

export type CheckpointKind = 'best' | 'last'

/** A named tensor as stored: shape plus float32 values. */
export interface StoredTensor {
  name: string
  shape: number[]
  values: Float32Array
}

/** Optimizer slots (Adam moments, momentum, …) as the trainer exports them. */
export interface OptimizerSnapshot {
  name: string
  tensors: Array<{ name: string; shape: number[]; values: Float32Array | number[] }>
}

export interface Checkpoint {
  runId: number
  kind: CheckpointKind
  epoch: number
  weights: Map<string, Float32Array>
  optimizer: OptimizerSnapshot | null
  /** The effective config when it was written: after a recovery lr and clipping differ from the run's. */
  config: RunConfig
  scaler: Scaler
  sha256: string
  /** AutoClip's norm history when the run clips with 'auto'. */
  clipHistory: NormHistoryState | null
}

const FORMAT = 1
const LITTLE_ENDIAN = endianness() === 'LE'

/**
 * Packs named float32 tensors into one blob: [u32 LE header length][header JSON][padding to 4]
 * [values…]. Little-endian float32 whatever the machine, so a workspace moves between machines.
 */
export function encodeTensors(tensors: StoredTensor[], extra: Record<string, unknown> = {}): Buffer {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, ...extra, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape, length: t.values.length })) }), 'utf8')
  const headerEnd = 4 + header.length
  const dataStart = Math.ceil(headerEnd / 4) * 4
  const total = tensors.reduce((sum, t) => sum + t.values.length, 0)
  const blob = Buffer.alloc(dataStart + total * 4)
  blob.writeUInt32LE(header.length, 0)
  header.copy(blob, 4)
  let offset = dataStart
  for (const t of tensors) {
    if (LITTLE_ENDIAN) {
      Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength).copy(blob, offset)
      offset += t.values.byteLength
    } else {
      for (let i = 0; i < t.values.length; i++, offset += 4) blob.writeFloatLE(t.values[i]!, offset)
    }
  }
  return blob
}

export function decodeTensors(blob: Buffer): { tensors: StoredTensor[]; extra: Record<string, unknown> } {
  const headerLength = blob.readUInt32LE(0)
  const { tensors: entries, ...extra } = JSON.parse(blob.subarray(4, 4 + headerLength).toString('utf8')) as {
    format: number
    tensors: Array<{ name: string; shape: number[]; length: number }>
  }
  let offset = Math.ceil((4 + headerLength) / 4) * 4
  const tensors = entries.map((entry) => {
    const values = new Float32Array(entry.length)
    if (offset + entry.length * 4 > blob.length) throw new Error(`checkpoint blob is shorter than its header says (${blob.length} bytes)`)
    if (LITTLE_ENDIAN) {
      blob.copy(Buffer.from(values.buffer), 0, offset, offset + entry.length * 4)
      offset += entry.length * 4
    } else {
      for (let i = 0; i < entry.length; i++, offset += 4) values[i] = blob.readFloatLE(offset)
    }
    return { name: entry.name, shape: entry.shape, values }
  })
  if (offset !== blob.length) throw new Error(`checkpoint blob holds ${blob.length} bytes, its header describes ${offset}`)
  return { tensors, extra }
}

/** SHA-256 over everything a checkpoint restores: weights, optimizer state, config, scaler and AutoClip's history. */
export function checkpointHash(weightsBlob: Buffer, optimizerBlob: Buffer | null, configJson: string, scalerJson: string, clipHistoryBlob: Buffer | null = null): string {
  const hash = createHash('sha256')
  hash.update(weightsBlob)
  if (optimizerBlob) hash.update(optimizerBlob)
  hash.update(configJson)
  hash.update(scalerJson)
  // absent for every other mode, so checkpoints written before the column existed still verify
  if (clipHistoryBlob) hash.update(clipHistoryBlob)
  return hash.digest('hex')
}

export interface CheckpointInput {
  epoch: number
  weights: Map<string, Float32Array>
  optimizer: OptimizerSnapshot | null
  config: RunConfig
  scaler: Scaler
  clipHistory?: NormHistoryState | null
}

function encodeClipHistory(state: NormHistoryState): Buffer {
  return encodeTensors([{ name: 'norms', shape: [state.values.length], values: state.values }], { cap: state.cap, seen: state.seen, rngState: state.rngState })
}

function decodeClipHistory(blob: Buffer): NormHistoryState {
  const { tensors, extra } = decodeTensors(blob)
  const values = tensors[0]?.values ?? new Float32Array(0)
  const [cap, seen, rngState] = [extra.cap, extra.seen, extra.rngState].map(Number) as [number, number, number]
  if (![cap, seen, rngState].every(Number.isInteger) || values.length > cap || values.length > seen) throw new Error('the AutoClip history header is inconsistent')
  return { cap, seen, rngState, values }
}

/**
 * Replaces the run's `kind` checkpoint. Call inside the transaction that also writes the
 * epoch's metrics, so an epoch row never exists without its checkpoint (docs/reliability.md, case 1).
 */
export function writeCheckpoint(db: Db, runId: number, kind: CheckpointKind, input: CheckpointInput): string {
  const weightsBlob = encodeTensors([...input.weights].map(([name, values]) => ({ name, shape: [values.length], values })))
  const optimizerBlob = input.optimizer
    ? encodeTensors(
        input.optimizer.tensors.map((t) => ({ name: t.name, shape: t.shape, values: t.values instanceof Float32Array ? t.values : Float32Array.from(t.values) })),
        { optimizer: input.optimizer.name },
      )
    : null
  const configJson = JSON.stringify(input.config)
  const scalerJson = JSON.stringify(input.scaler)
  const clipHistoryBlob = input.clipHistory ? encodeClipHistory(input.clipHistory) : null
  const sha256 = checkpointHash(weightsBlob, optimizerBlob, configJson, scalerJson, clipHistoryBlob)
  db.prepare(
    `INSERT INTO checkpoints (run_id, kind, epoch, weights_blob, optimizer_blob, sha256, config_json, scaler_json, created_at, clip_history_blob)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, kind) DO UPDATE SET epoch = excluded.epoch, weights_blob = excluded.weights_blob,
       optimizer_blob = excluded.optimizer_blob, sha256 = excluded.sha256, config_json = excluded.config_json,
       scaler_json = excluded.scaler_json, created_at = excluded.created_at, clip_history_blob = excluded.clip_history_blob`,
  ).run(runId, kind, input.epoch, weightsBlob, optimizerBlob, sha256, configJson, scalerJson, new Date().toISOString(), clipHistoryBlob)
  return sha256
}

interface CheckpointRow {
  epoch: number
  weights_blob: Buffer
  optimizer_blob: Buffer | null
  sha256: string
  config_json: string
  scaler_json: string
  clip_history_blob: Buffer | null
}

/** Whether the run has a checkpoint of either kind. */
export function hasCheckpoint(db: Db, runId: number): boolean {
  return (db.prepare('SELECT count(*) AS n FROM checkpoints WHERE run_id = ?').get(runId) as { n: number }).n > 0
}

/** Reads and verifies one checkpoint: CHECKPOINT_NOT_FOUND, or CHECKPOINT_CORRUPT on a checksum mismatch. */
export function readCheckpoint(db: Db, runId: number, kind: CheckpointKind): Checkpoint {
  const row = db.prepare('SELECT epoch, weights_blob, optimizer_blob, sha256, config_json, scaler_json, clip_history_blob FROM checkpoints WHERE run_id = ? AND kind = ?').get(runId, kind) as CheckpointRow | undefined
  if (!row) {
    throw new ClipcastError('CHECKPOINT_NOT_FOUND', `Run ${runId} has no ${kind} checkpoint.`, {
      hint: 'A run writes its checkpoints at the end of each epoch; train at least one epoch first.',
    })
  }
  const actual = checkpointHash(row.weights_blob, row.optimizer_blob, row.config_json, row.scaler_json, row.clip_history_blob)
  if (actual !== row.sha256) {
    throw new ClipcastError('CHECKPOINT_CORRUPT', `The ${kind} checkpoint of run ${runId} (epoch ${row.epoch}) fails its SHA-256 check.`, {
      hint: 'The workspace file was damaged; the other checkpoint of the run may still load.',
      details: { runId, kind, expected: row.sha256, actual },
    })
  }
  try {
    const weights = new Map(decodeTensors(row.weights_blob).tensors.map((t) => [t.name, t.values] as const))
    let optimizer: OptimizerSnapshot | null = null
    if (row.optimizer_blob) {
      const decoded = decodeTensors(row.optimizer_blob)
      optimizer = { name: String(decoded.extra.optimizer), tensors: decoded.tensors }
    }
    const config = StoredRunConfigSchema.parse(JSON.parse(row.config_json))
    const scaler = JSON.parse(row.scaler_json) as Scaler
    const clipHistory = row.clip_history_blob ? decodeClipHistory(row.clip_history_blob) : null
    return { runId, kind, epoch: row.epoch, weights, optimizer, config, scaler, sha256: row.sha256, clipHistory }
  } catch (error) {
    throw new ClipcastError('CHECKPOINT_CORRUPT', `The ${kind} checkpoint of run ${runId} cannot be decoded: ${(error as Error).message}.`, {
      hint: 'The other checkpoint of the run may still load.',
      cause: error,
    })
  }
}

/**
 * Reads the preferred checkpoint; when it is corrupt, falls back to the other one with a
 * warning (docs/reliability.md, case 6). Throws only when neither loads.
 */
export function readCheckpointWithFallback(db: Db, runId: number, prefer: CheckpointKind): { checkpoint: Checkpoint; warnings: Warning[] } {
  try {
    return { checkpoint: readCheckpoint(db, runId, prefer), warnings: [] }
  } catch (error) {
    if (!(error instanceof ClipcastError) || error.code !== 'CHECKPOINT_CORRUPT') throw error
    const other: CheckpointKind = prefer === 'best' ? 'last' : 'best'
    let checkpoint: Checkpoint
    try {
      checkpoint = readCheckpoint(db, runId, other)
    } catch {
      throw error
    }
    return {
      checkpoint,
      warnings: [{ code: 'CHECKPOINT_CORRUPT', message: `${error.message} Using the ${other} checkpoint (epoch ${checkpoint.epoch}) instead.` }],
    }
  }
}

export function listCheckpoints(db: Db, runId: number): CheckpointInfo[] {
  const rows = db
    .prepare('SELECT kind, epoch, sha256, length(weights_blob) + coalesce(length(optimizer_blob), 0) AS size_bytes, created_at FROM checkpoints WHERE run_id = ? ORDER BY kind')
    .all(runId) as Array<{ kind: CheckpointKind; epoch: number; sha256: string; size_bytes: number; created_at: string }>
  return rows.map((r) => ({ kind: r.kind, epoch: r.epoch, sha256: r.sha256, sizeBytes: r.size_bytes, createdAt: r.created_at }))
}
