import { ClipcastError } from '../../shared/errors'

/** How named columns like `temp[2,3]` map onto an H×W grid of features. */
export interface GridColumns {
  rows: number
  cols: number
  /** Feature names in first-seen order; the channel axis of the grid tensor. */
  features: string[]
  /** For each (feature, row, col) in the input order, where it sits (0-based, from the smallest index seen). */
  cells: Array<{ name: string; feature: number; row: number; col: number }>
  /**
   * Index into the given names for every position of a [rows, cols, features] grid, row-major:
   * order[(row·cols + col)·features + feature].
   */
  order: number[]
}

const GRID_NAME = /^(.+?)\[\s*(\d+)\s*,\s*(\d+)\s*\]$/

/**
 * Maps column names like `temp[2,3]` to (feature, row, col). Every feature must cover the
 * same full rectangle of cells: a missing cell (a hole), a column that is not of that form
 * (a mix) or a cell named twice is BAD_GRID_COLUMNS.
 */
export function parseGridColumns(names: string[]): GridColumns {
  if (names.length === 0) {
    throw new ClipcastError('BAD_GRID_COLUMNS', 'The grid layout needs columns named like temp[2,3]; there are none.', {
      hint: 'Rename the columns to feature[row,col], or set {layout} to subseq.',
      details: { settings: ['layout'] },
    })
  }
  const parsed = names.map((name) => ({ name, match: GRID_NAME.exec(name) }))
  const plain = parsed.filter((p) => p.match === null).map((p) => p.name)
  if (plain.length > 0) {
    throw new ClipcastError('BAD_GRID_COLUMNS', `Columns ${plain.slice(0, 5).map((n) => JSON.stringify(n)).join(', ')}${plain.length > 5 ? ` and ${plain.length - 5} more` : ''} are not named like feature[row,col].`, {
      hint: 'In the grid layout every input column must be a grid cell such as temp[2,3]; drop the others or set {layout} to subseq.',
      details: { columns: plain, settings: ['layout'] },
    })
  }
  const features: string[] = []
  const raw = parsed.map(({ name, match }) => {
    const m = match as RegExpExecArray
    const feature = m[1] as string
    if (!features.includes(feature)) features.push(feature)
    return { name, feature: features.indexOf(feature), row: Number(m[2]), col: Number(m[3]) }
  })
  const minRow = Math.min(...raw.map((c) => c.row))
  const minCol = Math.min(...raw.map((c) => c.col))
  const rows = Math.max(...raw.map((c) => c.row)) - minRow + 1
  const cols = Math.max(...raw.map((c) => c.col)) - minCol + 1
  const cells = raw.map((c) => ({ ...c, row: c.row - minRow, col: c.col - minCol }))
  const order = new Array<number>(rows * cols * features.length).fill(-1)
  cells.forEach((cell, index) => {
    const at = (cell.row * cols + cell.col) * features.length + cell.feature
    if (order[at] !== -1) {
      throw new ClipcastError('BAD_GRID_COLUMNS', `Grid cell ${cell.name} appears twice (columns ${order[at]} and ${index}).`, {
        hint: 'Each feature[row,col] may name one column only.',
      })
    }
    order[at] = index
  })
  const holes: string[] = []
  order.forEach((index, at) => {
    if (index !== -1) return
    const feature = at % features.length
    const cell = Math.floor(at / features.length)
    holes.push(`${features[feature]}[${Math.floor(cell / cols) + minRow},${(cell % cols) + minCol}]`)
  })
  if (holes.length > 0) {
    throw new ClipcastError('BAD_GRID_COLUMNS', `The ${rows}×${cols} grid has no column for ${holes.slice(0, 5).join(', ')}${holes.length > 5 ? ` and ${holes.length - 5} more cells` : ''}.`, {
      hint: 'Every feature needs a column for every cell of the grid; add the missing cells or set {layout} to subseq.',
      details: { missing: holes, settings: ['layout'] },
    })
  }
  return { rows, cols, features, cells, order }
}
