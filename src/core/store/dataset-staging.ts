import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DatasetSummary } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { checkShape, chunkInserter, datasetChunks, findDatasetBySha256, getDataset, insertDatasetRow, type NewDataset } from './datasets'
import { writeTransaction, type Db } from './workspace'

export interface StagedWriteOptions {
  signal?: AbortSignal
  /** Chunks per transaction (each chunk is at most CHUNK_ROWS values): how long another writer may wait. */
  chunksPerTransaction?: number
  /** Pause between transactions, so another process's busy handler finds the lock free. */
  pauseMs?: number
}

/** Staging datasets this process is writing right now (another process's are told apart by their pid). */
const writing = new Set<number>()

/**
 * Writes a dataset the way a large import must (reliability 22): a hidden staging row, then its
 * chunks in short transactions with a pause between them, so another writer (a training's epoch
 * commit) waits at most one transaction instead of the whole file; then one small transaction
 * switches the row to ready. A failure or a cancel deletes the staging row and its chunks, so
 * nothing half-imported is ever listed. Same bytes imported meanwhile by another process: that
 * dataset is returned and the staged copy dropped.
 */
export async function writeDatasetStaged(db: Db, dataset: NewDataset, options: StagedWriteOptions = {}): Promise<DatasetSummary> {
  checkShape(dataset)
  discardAbandonedImports(db)
  const perTransaction = Math.max(1, options.chunksPerTransaction ?? 1)
  const pauseMs = options.pauseMs ?? 2
  const id = writeTransaction(db, () => insertDatasetRow(db, dataset, { state: 'staging', placeholderSha256: `staging:${randomUUID()}` }))
  writing.add(id)
  try {
    const insertChunk = chunkInserter(db)
    const chunks = [...datasetChunks(dataset)]
    for (let from = 0; from < chunks.length; from += perTransaction) {
      if (options.signal?.aborted) throw cancelled(dataset.sourceName)
      writeTransaction(db, () => chunks.slice(from, from + perTransaction).forEach((chunk) => insertChunk(id, chunk)))
      await sleep(pauseMs)
    }
    if (options.signal?.aborted) throw cancelled(dataset.sourceName)
    const existing = writeTransaction(db, () => {
      const other = findDatasetBySha256(db, dataset.sha256)
      if (other) return other
      db.prepare(`UPDATE datasets SET import_state = 'ready', import_owner_pid = NULL, source_sha256 = ? WHERE id = ?`).run(dataset.sha256, id)
      return undefined
    })
    if (existing) {
      discardStaging(db, id)
      return existing
    }
    return getDataset(db, id)
  } catch (error) {
    discardStaging(db, id)
    throw error
  } finally {
    writing.delete(id)
  }
}

function discardStaging(db: Db, id: number): void {
  try {
    writeTransaction(db, () => db.prepare(`DELETE FROM datasets WHERE id = ? AND import_state = 'staging'`).run(id))
  } catch {
    // the workspace refuses even the cleanup (disk full); the staging row stays hidden and the next import removes it
  }
}

/** Deletes staging rows (and their chunks) whose import died with its process; returns their ids. */
export function discardAbandonedImports(db: Db): number[] {
  const rows = db.prepare(`SELECT id, import_owner_pid AS pid FROM datasets WHERE import_state = 'staging'`).all() as Array<{ id: number; pid: number | null }>
  const abandoned = rows.filter((row) => (row.pid === process.pid ? !writing.has(row.id) : !processAlive(row.pid)))
  for (const { id } of abandoned) discardStaging(db, id)
  return abandoned.map((row) => row.id)
}

function processAlive(pid: number | null): boolean {
  if (pid === null) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function cancelled(fileName: string): ClipcastError {
  return new ClipcastError('IMPORT_CANCELLED', `The import of ${fileName} was cancelled; nothing was written.`, { hint: 'Start the import again when you are ready.' })
}
