import type { EpochRecord } from '../../shared/api'
import type { GroupRequest, RunGroup, RunGroups, Spread } from '../../shared/experiments'
import { ClipcastError } from '../../shared/errors'
import type { RunTable, RunTableCell } from '../../shared/run-table'
import { listEpochs } from '../store/runs'
import type { Db } from '../store/workspace'
import { loadRunTable } from './run-table'

/** Mean, sample standard deviation (n − 1, as Aim's and pandas' std; null below two values), min and max of the finite values. */
export function spread(values: ReadonlyArray<number | null>): Spread {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v))
  const n = present.length
  if (n === 0) return { n, mean: null, std: null, min: null, max: null }
  const mean = present.reduce((sum, v) => sum + v, 0) / n
  const std = n < 2 ? null : Math.sqrt(present.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1))
  return { n, mean, std, min: Math.min(...present), max: Math.max(...present) }
}

const cellText = (cell: RunTableCell) => (cell === null ? '—' : String(cell))

/** The loss a group's band follows: validation where the run has it, else train. */
const epochLoss = (e: EpochRecord) => e.valLoss ?? e.trainLoss

/**
 * Groups the chosen runs of the run table: by one setting's value, or (`seed`) into runs whose
 * settings are all equal but the seed, as repeated runs are. Groups come in the order of their
 * first run in `runIds`; each carries the spread of the chosen metric and, epoch by epoch, of
 * the loss over the runs that reached that epoch.
 */
export function groupRuns(table: RunTable, epochs: ReadonlyMap<number, readonly EpochRecord[]>, request: Omit<GroupRequest, 'summary'>): RunGroups {
  const index = (key: string) => table.columns.findIndex((c) => c.key === key)
  const metric = index(request.metric)
  if (metric < 0) throw new ClipcastError('BAD_REQUEST', `There is no run table column ${JSON.stringify(request.metric)}.`, { hint: 'Pick a metric the run table shows, e.g. test.mae or valLoss.' })
  const byId = new Map(table.rows.map((row) => [row[0] as number, row]))
  // a run picked twice counts once in its group's spread
  const rows = [...new Set(request.runIds)].map((id) => {
    const row = byId.get(id)
    if (!row) throw new ClipcastError('RUN_NOT_FOUND', `Run ${id} is not in the run table.`, { hint: 'List the runs with clipcast runs.' })
    return row
  })
  const settings = table.columns.flatMap((c, i) => (c.group === 'setting' && c.key !== 'seed' ? [i] : []))
  // seed groups are labelled by the settings that differ between groups, not by all of them
  const differing = settings.filter((i) => new Set(rows.map((row) => cellText(row[i] ?? null))).size > 1)
  let keyOf: (row: RunTableCell[]) => string
  let labelOf: (row: RunTableCell[]) => string
  if (request.by === 'seed') {
    keyOf = (row) => JSON.stringify(settings.map((i) => row[i] ?? null))
    labelOf = (row) => differing.map((i) => `${table.columns[i]!.key}=${cellText(row[i] ?? null)}`).join(' ') || 'all settings'
  } else {
    const key = request.by.setting
    const column = index(key)
    if (column < 0 || table.columns[column]!.group !== 'setting') throw new ClipcastError('BAD_REQUEST', `There is no setting ${JSON.stringify(key)} to group by.`, { hint: 'Group by a setting of the run table, e.g. lr or clipThreshold.' })
    keyOf = (row) => cellText(row[column] ?? null)
    labelOf = (row) => `${key}=${cellText(row[column] ?? null)}`
  }
  // errors on different datasets are in different units: runs of two datasets never share a group
  const dataset = index('datasetId')
  const datasets = new Set(rows.map((row) => row[dataset] ?? null))
  const datasetOf = (row: RunTableCell[]) => (dataset < 0 || datasets.size < 2 ? '' : `dataset ${cellText(row[dataset] ?? null)} · `)
  const groups = new Map<string, { label: string; rows: RunTableCell[][] }>()
  for (const row of rows) {
    const key = datasetOf(row) + keyOf(row)
    if (!groups.has(key)) groups.set(key, { label: datasetOf(row) + labelOf(row), rows: [] })
    groups.get(key)!.rows.push(row)
  }
  return {
    by: request.by,
    metric: request.metric,
    groups: [...groups.values()].map(({ label, rows: members }): RunGroup => {
      const runIds = members.map((row) => row[0] as number)
      const curves = runIds.map((id) => epochs.get(id) ?? [])
      const length = Math.max(0, ...curves.map((c) => c.length))
      return {
        label,
        runIds,
        metric: spread(members.map((row) => (typeof row[metric] === 'number' ? (row[metric] as number) : null))),
        loss: Array.from({ length }, (_, e) => spread(curves.map((c) => (c[e] ? epochLoss(c[e]) : null)))),
      }
    }),
  }
}

/** groupRuns over the workspace's run table and the runs' stored epochs. */
export function loadRunGroups(db: Db, request: GroupRequest): RunGroups {
  const table = loadRunTable(db, request.summary)
  const epochs = new Map(request.runIds.map((id) => [id, listEpochs(db, id, { stepNorms: false })]))
  return groupRuns(table, epochs, request)
}
