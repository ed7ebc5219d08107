import type { RunTable, RunTableCell, RunTableColumn } from '../../../shared/run-table'
import { metricLabel } from '../charts/format'

/**
 * The run table's view logic, pure: which columns show, which rows match a search, in which
 * order. The component keeps only the user's choices.
 */

/** Always shown: who the run is and how it ended. */
const IDENTITY = new Set(['id', 'status'])
/** Metrics shown by default: what a person ranks runs by. */
const HEADLINE_METRICS = new Set(['valLoss', 'trainLoss', 'gradNormP95', 'test.mae', 'test.rmse'])

/** Run facts shown once some run has them. */
const SHOWN_WHEN_SET = new Set(['sweep', 'tags', 'note'])

/** With `all` every column; else the identity, the settings that vary, the sweep, tags and notes when some run has them, and the headline metrics. */
export function visibleColumns(table: RunTable, all: boolean): number[] {
  return table.columns.flatMap((column, index) => {
    if (all || IDENTITY.has(column.key)) return [index]
    if (column.group === 'setting') return column.varying ? [index] : []
    if (column.group === 'metric') return HEADLINE_METRICS.has(column.key) ? [index] : []
    return SHOWN_WHEN_SET.has(column.key) && column.varying ? [index] : []
  })
}

/**
 * Rows whose cells contain every word of the query (case-insensitive); `lr=0.01` matches that
 * column's value exactly, `tag=baseline` a run with that tag.
 */
export function matchingRows(table: RunTable, query: string): RunTableCell[][] {
  const words = query.trim().toLowerCase().split(/\s+/).filter((w) => w.length > 0)
  if (words.length === 0) return table.rows
  const keys = table.columns.map((c) => c.key.toLowerCase())
  return table.rows.filter((row) =>
    words.every((word) => {
      const equals = word.indexOf('=')
      if (equals > 0) {
        if (word.slice(0, equals) === 'tag') return cellText(row[keys.indexOf('tags')] ?? null).toLowerCase().split(' ').includes(word.slice(equals + 1))
        const index = keys.indexOf(word.slice(0, equals))
        if (index >= 0) return cellText(row[index] ?? null).toLowerCase() === word.slice(equals + 1)
      }
      return row.some((cell) => cellText(cell).toLowerCase().includes(word))
    }),
  )
}

export function cellText(cell: RunTableCell): string {
  return cell === null ? '' : String(cell)
}

/** Sorted by one column: numbers by value, text by locale, empty cells last in either direction. */
export function sortRows(rows: readonly RunTableCell[][], column: number, direction: 'asc' | 'desc'): RunTableCell[][] {
  const sign = direction === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = a[column] ?? null
    const y = b[column] ?? null
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y)
    return sign * String(x).localeCompare(String(y), undefined, { numeric: true })
  })
}

/** The column index of a key, or -1. */
export function columnIndex(table: RunTable, key: string): number {
  return table.columns.findIndex((c: RunTableColumn) => c.key === key)
}

const LABELS: Record<string, string> = {
  id: 'Run', status: 'Status', tags: 'Tags', note: 'Note', datasetId: 'Dataset', sweep: 'Sweep', trial: 'Trial', createdAt: 'Created', backendUsed: 'Backend used', epochsTrained: 'Epochs trained',
  bestEpoch: 'Best epoch', summaryEpoch: 'Summary epoch', trainLoss: 'Train loss', valLoss: 'Validation loss', gradNormMean: '|g| mean', gradNormP95: '|g| p95',
  gradNormMax: '|g| max', clippedFraction: 'Clipped', lrAtEpoch: 'lr at epoch', clipThresholdAtEpoch: 'Clip threshold at epoch',
}

/** A column's heading: settings by their config key, facts and metrics in words. */
export function columnLabel(key: string): string {
  return LABELS[key] ?? metricLabel(key)
}
