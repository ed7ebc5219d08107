import type { EpochRecord, Metrics, RunSummary } from '../../shared/api'
import { RunConfigSchema } from '../../shared/run-config'
import type { RunTable, RunTableCell, RunTableColumn, RunTableSummary } from '../../shared/run-table'
import { writeCsvFile } from '../data/export'
import { listEpochs, listRuns } from '../store/runs'
import { listRunLabels } from '../store/run-labels'
import { sweepMembership } from '../store/sweeps'
import type { Db } from '../store/workspace'

export interface RunTableInput {
  run: RunSummary
  epochs: readonly EpochRecord[]
  sweep?: { sweepId: number; trial: number }
  labels?: { tags: readonly string[]; note: string }
}

const RUN_COLUMNS = ['id', 'status', 'tags', 'note', 'datasetId', 'sweep', 'trial', 'createdAt', 'backendUsed', 'epochsTrained', 'bestEpoch', 'summaryEpoch'] as const
const SETTING_COLUMNS = Object.keys(RunConfigSchema.shape).filter((key) => key !== 'datasetId')
const EPOCH_COLUMNS = ['trainLoss', 'valLoss', 'gradNormMean', 'gradNormP95', 'gradNormMax', 'clippedFraction', 'lrAtEpoch', 'clipThresholdAtEpoch'] as const
const TEST_METRICS = ['mae', 'rmse', 'smape', 'mase'] as const

/** The epoch a row summarises: the best epoch (falling back to the last when there is none yet) or the last. */
export function summaryEpoch(run: RunSummary, epochs: readonly EpochRecord[], summary: RunTableSummary): EpochRecord | null {
  if (summary === 'best' && run.bestEpoch !== null) return epochs.find((e) => e.epoch === run.bestEpoch) ?? null
  return epochs.at(-1) ?? null
}

function settingCell(value: unknown): RunTableCell {
  if (value === undefined || value === null) return null
  if (Array.isArray(value)) return value.join(' ')
  return typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value)
}

function epochCells(record: EpochRecord | null): RunTableCell[] {
  if (!record) return EPOCH_COLUMNS.map(() => null)
  return [record.trainLoss, record.valLoss, record.gradNorm.mean, record.gradNorm.p95, record.gradNorm.max, record.clippedFraction, record.lr, record.clipThreshold]
}

const metricCells = (metrics: Metrics | null | undefined): RunTableCell[] => TEST_METRICS.map((name) => metrics?.[name] ?? null)

function isVarying(rows: RunTableCell[][], index: number): boolean {
  const first = rows[0]?.[index] ?? null
  return rows.some((row) => (row[index] ?? null) !== first)
}

/**
 * The run table: run facts, every setting, the summary epoch's losses and gradient norms, the
 * test metrics and each baseline's test metrics. A column varies when its runs differ in it.
 */
export function buildRunTable(inputs: readonly RunTableInput[], summary: RunTableSummary): RunTable {
  const baselines = [...new Set(inputs.flatMap(({ run }) => Object.keys(run.baselines ?? {})))].sort()
  const keys: Array<[string, RunTableColumn['group']]> = [
    ...RUN_COLUMNS.map((key): [string, RunTableColumn['group']] => [key, 'run']),
    ...SETTING_COLUMNS.map((key): [string, RunTableColumn['group']] => [key, 'setting']),
    ...[...EPOCH_COLUMNS, ...TEST_METRICS.map((m) => `test.${m}`), ...baselines.flatMap((b) => TEST_METRICS.map((m) => `baseline.${b}.${m}`))].map((key): [string, RunTableColumn['group']] => [key, 'metric']),
  ]
  const rows = inputs.map(({ run, epochs, sweep, labels }) => {
    const record = summaryEpoch(run, epochs, summary)
    const config = run.config as Record<string, unknown>
    return [
      // tags joined by spaces: a tag has none of its own (normaliseTag), so a spreadsheet's cell splits back into them
      run.id, run.status, labels?.tags.length ? labels.tags.join(' ') : null, labels?.note || null, run.datasetId, sweep?.sweepId ?? null, sweep?.trial ?? null, run.createdAt, run.backend, run.epochs, run.bestEpoch, record?.epoch ?? null,
      ...SETTING_COLUMNS.map((key) => settingCell(config[key])),
      ...epochCells(record),
      ...metricCells(run.metrics),
      ...baselines.flatMap((b) => metricCells(run.baselines?.[b])),
    ]
  })
  return { summary, columns: keys.map(([key, group], index) => ({ key, group, varying: isVarying(rows, index) })), rows }
}

/** The workspace's run table, newest run first; a run whose row cannot be read is left out (its settings are unknown). */
export function loadRunTable(db: Db, summary: RunTableSummary): RunTable {
  const membership = sweepMembership(db)
  const labels = listRunLabels(db)
  return buildRunTable(
    listRuns(db)
      .filter((run) => run.unreadable === undefined)
      .map((run) => ({ run, epochs: listEpochs(db, run.id, { stepNorms: false }), sweep: membership.get(run.id), labels: labels.get(run.id) })),
    summary,
  )
}

/** Writes the run table as CSV (all columns), replacing the file whole. */
export function exportRunTable(db: Db, path: string, summary: RunTableSummary): { path: string; rows: number; columns: number } {
  const table = loadRunTable(db, summary)
  const written = writeCsvFile(path, table.columns.map((c) => c.key), table.rows)
  return { path: written.path, rows: written.rows, columns: table.columns.length }
}
