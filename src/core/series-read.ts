import type { Series, SeriesRequest } from '../shared/api'
import { gatherRows, memoryReader, pickRows, type ColumnReader } from './data/series-sample'
import { getDataset, readColumn, readTimes } from './store/datasets'
import type { Db } from './store/workspace'

const DEFAULT_SERIES_POINTS = 2000

/** A dataset's columns for a chart: the last rows asked for, min/max downsampled to at most maxPoints. */
export function readSeries(db: Db, request: SeriesRequest): Series {
  const dataset = getDataset(db, request.datasetId)
  const names = request.columns ?? dataset.columns.filter((c) => c.kind === 'numeric').map((c) => c.name)
  const start = request.last === undefined ? 0 : Math.max(0, dataset.rows - request.last)
  const range = { start, end: dataset.rows }
  // block by block: selecting a dataset of millions of rows must not read its columns whole
  const read: ColumnReader = (name, rows) => (name === null ? readTimes(db, dataset.id, rows) : readColumn(db, dataset.id, name, rows))
  const picked = pickRows(read, names, range, request.maxPoints ?? DEFAULT_SERIES_POINTS)
  const times = gatherRows(read, null, range, picked)
  const out: Series = { datasetId: dataset.id, time: Array.from(times, (t) => new Date(t).toISOString()), columns: {} }
  for (const name of names) out.columns[name] = Array.from(gatherRows(read, name, range, picked), (v) => (Number.isFinite(v) ? v : null))
  return out
}

/** Min/max downsampling of columns already in memory (see pickRows). */
export function downsampleIndices(columns: ArrayLike<number>[], rows: number, maxPoints: number): number[] {
  const names = columns.map((_, i) => String(i))
  return pickRows(memoryReader(new Map(names.map((name, i) => [name, columns[i]!]))), names, { start: 0, end: rows }, maxPoints)
}
