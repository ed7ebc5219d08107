import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { deleteDataset, getDataset, insertDataset, listDatasets, readColumn, readTimes, type NewDataset } from '../../../../src/core/store/datasets'
import { CHUNK_ROWS } from '../../../../src/core/store/migrations'
import { openWorkspace } from '../../../../src/core/store/workspace'

/** Bit-for-bit equality (NaN included) without a slow element-wise diff of 65k values. */
const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0

const workspace = () => openWorkspace(join(mkdtempSync(join(tmpdir(), 'clipcast-ds-')), 'ws.db'))

function dataset(rows: number, sha256 = 'abc'): NewDataset {
  const times = Float64Array.from({ length: rows }, (_, i) => Date.UTC(2020, 0, 1) + i * 60_000)
  const a = Float64Array.from({ length: rows }, (_, i) => (i % 97 === 0 ? NaN : i * 0.5))
  const b = Float64Array.from({ length: rows }, (_, i) => -i)
  return {
    name: 'd',
    sourceName: 'd.csv',
    sha256,
    timeColumn: 'time',
    frequency: 'minutely',
    columns: [
      { name: 'a', kind: 'numeric', missing: 0 },
      { name: 'label', kind: 'text', missing: 0 },
      { name: 'b', kind: 'numeric', missing: 0 },
    ],
    warnings: [],
    times,
    values: [a, b],
  }
}

describe('dataset store', () => {
  it('round-trips times and columns, including a range across a chunk boundary', () => {
    const db = workspace()
    const input = dataset(CHUNK_ROWS + 1000)
    const summary = insertDataset(db, input)
    expect(summary).toMatchObject({ rows: CHUNK_ROWS + 1000, start: new Date(input.times[0]!).toISOString() })
    expect(same(readTimes(db, summary.id), input.times)).toBe(true)
    expect(same(readColumn(db, summary.id, 'a'), input.values[0]!)).toBe(true)
    const range = { start: CHUNK_ROWS - 5, end: CHUNK_ROWS + 5 }
    expect(same(readColumn(db, summary.id, 'b', range), input.values[1]!.subarray(range.start, range.end))).toBe(true)
    expect(same(readTimes(db, summary.id, range), input.times.subarray(range.start, range.end))).toBe(true)
    expect(readColumn(db, summary.id, 'a', { start: 7, end: 7 })).toHaveLength(0)
  })

  it('reads a range from the chunks that hold it and no others', () => {
    const db = workspace()
    const input = dataset(CHUNK_ROWS * 2 + 10)
    const { id } = insertDataset(db, input)
    // without chunk 0, a range inside chunks 1–2 still reads; one touching chunk 0 cannot
    db.prepare('DELETE FROM dataset_chunks WHERE chunk_index = 0').run()
    const range = { start: CHUNK_ROWS + 3, end: CHUNK_ROWS * 2 + 10 }
    expect(same(readColumn(db, id, 'b', range), input.values[1]!.subarray(range.start, range.end))).toBe(true)
    expect(() => readColumn(db, id, 'b', { start: 0, end: 10 })).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT' }))
  })

  it('names the existing columns for an unknown one and refuses ranges outside the rows', () => {
    const db = workspace()
    const { id } = insertDataset(db, dataset(10))
    expect(() => readColumn(db, id, 'label')).toThrow(expect.objectContaining({ code: 'UNKNOWN_COLUMN', details: { columns: ['a', 'b'] } }))
    expect(() => readColumn(db, id, 'b', { start: 5, end: 11 })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
  })

  it('lists, gets and deletes datasets with their chunks', () => {
    const db = workspace()
    const first = insertDataset(db, dataset(10, 'one'))
    const second = insertDataset(db, dataset(10, 'two'))
    expect(listDatasets(db).map((d) => d.id)).toEqual([first.id, second.id])
    expect(getDataset(db, second.id).columns.map((c) => c.kind)).toEqual(['numeric', 'text', 'numeric'])
    deleteDataset(db, first.id)
    expect(() => getDataset(db, first.id)).toThrow(expect.objectContaining({ code: 'DATASET_NOT_FOUND' }))
    expect(db.prepare('SELECT count(*) AS n FROM dataset_chunks WHERE dataset_id = ?').get(first.id)).toEqual({ n: 0 })
    expect(() => deleteDataset(db, first.id)).toThrow(expect.objectContaining({ code: 'DATASET_NOT_FOUND' }))
  })
})
