import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { discardAbandonedImports, writeDatasetStaged } from '../../../../src/core/store/dataset-staging'
import { listDatasets, readColumn, type NewDataset } from '../../../../src/core/store/datasets'
import { CHUNK_ROWS } from '../../../../src/core/store/migrations'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { tempDbPath } from '../../../helpers/datasets'

function dataset(rows: number): NewDataset {
  return {
    name: 'big',
    sourceName: 'big.csv',
    sha256: 'sha-big',
    timeColumn: 'time',
    frequency: 'minutely',
    columns: [{ name: 'a', kind: 'numeric', missing: 0 }],
    warnings: [],
    times: Float64Array.from({ length: rows }, (_, i) => i * 60_000),
    values: [Float64Array.from({ length: rows }, (_, i) => i / 2)],
  }
}

const counts = (db: Database.Database) => ({
  datasets: (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n,
  chunks: (db.prepare('SELECT count(*) AS n FROM dataset_chunks').get() as { n: number }).n,
})

describe('staged dataset writes', () => {
  it('lets another writer in between chunks and shows the dataset only once it is whole (reliability 22)', async () => {
    const path = tempDbPath('clipcast-staging-')
    const db = openWorkspace(path)
    const other = new Database(path)
    other.pragma('busy_timeout = 0')
    other.exec('CREATE TABLE probe (seen_datasets INTEGER, seen_chunks INTEGER)')
    const input = dataset(2 * CHUNK_ROWS + 10) // 3 chunks of times and 3 of `a`
    const writing = writeDatasetStaged(db, input, { pauseMs: 5 })
    // these writes are queued behind the first chunk transaction and must get in before the end
    const probes = [0, 10, 20].map((delay) =>
      new Promise<void>((resolve) =>
        setTimeout(() => {
          const seen = listDatasets(db).length
          other.prepare('INSERT INTO probe VALUES (?, ?)').run(seen, counts(other).chunks)
          resolve()
        }, delay),
      ),
    )
    const summary = await writing
    await Promise.all(probes)
    const seen = other.prepare('SELECT seen_datasets AS d, seen_chunks AS c FROM probe').all() as Array<{ d: number; c: number }>
    expect(seen.every((p) => p.d === 0)).toBe(true)
    expect(seen.some((p) => p.c > 0 && p.c < 6)).toBe(true)
    expect(listDatasets(db).map((d) => d.id)).toEqual([summary.id])
    expect(readColumn(db, summary.id, 'a')).toEqual(input.values[0])
    other.close()
    db.close()
  })

  it('leaves nothing behind when cancelled mid-write (reliability 22)', async () => {
    const db = openWorkspace(tempDbPath('clipcast-staging-'))
    const controller = new AbortController()
    const writing = writeDatasetStaged(db, dataset(3 * CHUNK_ROWS), { pauseMs: 5 })
    const cancelled = writeDatasetStaged(db, { ...dataset(3 * CHUNK_ROWS), sha256: 'other' }, { pauseMs: 5, signal: controller.signal })
    setTimeout(() => controller.abort(), 8)
    await expect(cancelled).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' })
    const kept = await writing
    expect(listDatasets(db).map((d) => d.id)).toEqual([kept.id])
    expect(counts(db)).toEqual({ datasets: 1, chunks: 6 })
    db.close()
  })

  it('removes the staging rows of an import whose process died, and never lists them', () => {
    const db = openWorkspace(tempDbPath('clipcast-staging-'))
    db.prepare(
      `INSERT INTO datasets (id, name, source_name, source_sha256, imported_at, row_count, time_column, frequency, start_time, end_time, columns_json, import_state, import_owner_pid)
       VALUES (7, 'half', 'half.csv', 'staging:x', 'now', 10, 't', 'daily', '', '', '[]', 'staging', 2147483646)`,
    ).run()
    db.prepare('INSERT INTO dataset_chunks VALUES (7, -1, 0, ?)').run(Buffer.alloc(80))
    expect(listDatasets(db)).toEqual([])
    expect(discardAbandonedImports(db)).toEqual([7])
    expect(counts(db)).toEqual({ datasets: 0, chunks: 0 })
    db.close()
  })
})
