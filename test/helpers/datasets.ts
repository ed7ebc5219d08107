import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DatasetColumn, Frequency } from '../../src/shared/api'
import { CHUNK_ROWS } from '../../src/core/store/migrations'
import { openWorkspace, type Db } from '../../src/core/store/workspace'

export function tempDbPath(prefix = 'clipcast-train-'): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'ws.db')
}

export interface TestSeries {
  name?: string
  times: ArrayLike<number>
  columns: Record<string, ArrayLike<number>>
  frequency?: Frequency
}

function floatBlob(values: ArrayLike<number>, from: number, to: number): Buffer {
  const blob = Buffer.alloc((to - from) * 8)
  for (let i = from; i < to; i++) blob.writeDoubleLE(values[i]!, (i - from) * 8)
  return blob
}

/**
 * Inserts a dataset straight into the store (Float64 LE chunks of CHUNK_ROWS rows, column -1 =
 * times), so training tests need no CSV import. Returns the dataset id.
 */
export function insertDataset(db: Db, series: TestSeries): number {
  const names = Object.keys(series.columns)
  const rows = series.times.length
  const columns: DatasetColumn[] = names.map((name) => {
    const values = Array.from(series.columns[name]!)
    const present = values.filter((v) => Number.isFinite(v))
    const mean = present.reduce((a, b) => a + b, 0) / Math.max(1, present.length)
    const std = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, present.length))
    return {
      name,
      kind: 'numeric',
      missing: values.length - present.length,
      stats: { min: present.reduce((a, b) => Math.min(a, b), Infinity), max: present.reduce((a, b) => Math.max(a, b), -Infinity), mean, std },
    }
  })
  const hash = createHash('sha256').update(JSON.stringify({ names, rows, seed: Math.random() })).digest('hex')
  const iso = (ms: number) => new Date(ms).toISOString()
  const id = Number(
    db
      .prepare(
        `INSERT INTO datasets (name, source_name, source_sha256, imported_at, row_count, time_column, frequency, start_time, end_time, columns_json)
         VALUES (?, ?, ?, ?, ?, 'time', ?, ?, ?, ?)`,
      )
      .run(series.name ?? 'test', 'test.csv', hash, new Date().toISOString(), rows, series.frequency ?? 'hourly', iso(series.times[0]!), iso(series.times[rows - 1]!), JSON.stringify(columns))
      .lastInsertRowid,
  )
  const insert = db.prepare('INSERT INTO dataset_chunks (dataset_id, column_index, chunk_index, values_blob) VALUES (?, ?, ?, ?)')
  db.transaction(() => {
    const all: Array<ArrayLike<number>> = [series.times, ...names.map((n) => series.columns[n]!)]
    all.forEach((values, index) => {
      for (let chunk = 0; chunk * CHUNK_ROWS < rows; chunk++) {
        insert.run(id, index - 1, chunk, floatBlob(values, chunk * CHUNK_ROWS, Math.min(rows, (chunk + 1) * CHUNK_ROWS)))
      }
    })
  })()
  return id
}

/** An hourly multivariate series with a daily cycle and a little seeded noise. */
export function sineSeries(rows: number, variables = 2, seed = 1): TestSeries {
  let state = seed
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648 - 0.5
  }
  const start = Date.UTC(2024, 0, 1)
  const times = Array.from({ length: rows }, (_, i) => start + i * 3_600_000)
  const columns: Record<string, number[]> = {}
  for (let v = 0; v < variables; v++) {
    columns[`v${v}`] = times.map((_, i) => 10 * (v + 1) + 5 * Math.sin((2 * Math.PI * i) / 24 + v) + 0.3 * noise())
  }
  return { times, columns, frequency: 'hourly' }
}

/** A fresh workspace holding one sine dataset. */
export function workspaceWithSeries(rows = 300, variables = 2): { path: string; db: Db; datasetId: number } {
  const path = tempDbPath()
  const db = openWorkspace(path)
  const datasetId = insertDataset(db, sineSeries(rows, variables))
  return { path, db, datasetId }
}

/** An hourly CSV of a trending `load` and a periodic `temperature`, as a user's file would be, for tests that import through a host. */
export function writeHourlyCsv(path: string, rows: number): string {
  const lines = ['time,load,temperature']
  for (let i = 0; i < rows; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${(Math.sin(i / 4) + i / 50).toFixed(4)},${Math.cos(i / 9).toFixed(4)}`)
  writeFileSync(path, lines.join('\n'))
  return path
}
