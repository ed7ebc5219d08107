/** Which epoch a run's loss and gradient columns come from: its best (lowest validation loss) or its last. */
export type RunTableSummary = 'best' | 'last'

export type RunTableCell = number | string | null

export interface RunTableColumn {
  /** The CSV header and the key a row's cell is found under: `lr`, `valLoss`, `test.mae`, `baseline.naive.mae`. */
  key: string
  group: 'run' | 'setting' | 'metric'
  /** False when every run has the same value: such columns are hidden by default in the app. */
  varying: boolean
}

/** One row per run, every setting and metric a column; cells line up with `columns`. */
export interface RunTable {
  summary: RunTableSummary
  columns: RunTableColumn[]
  rows: RunTableCell[][]
}
