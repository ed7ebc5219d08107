import type { Command } from 'commander'
import type { Comparison } from '../../shared/api'
import { compareRuns } from '../../core/eval/compare'
import { getRun } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { action, formatNumber, formatTable, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

interface CompareOptions {
  db?: string
  json?: boolean
}

/** `clipcast compare <run> <run> […]`: runs side by side (core/eval/compare.ts decides what is comparable). */
export function register(program: Command): void {
  program
    .command('compare')
    .description('Compare two or more runs side by side: config differences, status, metrics and baselines, clipping, recoveries, per-horizon MAE.')
    .argument('<runs...>', 'run ids (two or more)')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print the comparison as JSON ({"runs","differences","metrics","perHorizon","notes"})')
    .action(action((ids: string[], options: CompareOptions) => {
      const runIds = ids.map(parseRunId)
      const db = openWorkspace(workspacePath(options.db))
      let comparison: Comparison
      try {
        comparison = compareRuns(runIds.map((id) => getRun(db, id)))
      } finally {
        db.close()
      }
      if (options.json) printJson(comparison)
      else process.stdout.write(renderComparison(comparison) + '\n')
    }))
}



const METRIC_LABELS: Record<string, string> = {
  epochs: 'epochs',
  bestEpoch: 'best epoch',
  bestValLoss: 'best val loss',
  'clip.threshold': 'clip threshold',
  'clip.fractionClipped': 'fraction clipped',
  'clip.maxPreClipNorm': 'max pre-clip norm',
  recoveries: 'recoveries',
}

/** The terminal rendering: one aligned table of runs, then per-horizon MAE, then the notes. */
export function renderComparison(c: Comparison): string {
  const header = ['', ...c.runs.map((r) => `run ${r.id}`)]
  const rows: Array<Array<string | number | null>> = [
    ['status', ...c.runs.map((r) => r.status)],
    ['backend', ...c.runs.map((r) => r.backend)],
    ['dataset', ...c.runs.map((r) => r.datasetId)],
    ...Object.entries(c.differences)
      .filter(([key]) => key !== 'datasetId')
      .map(([key, values]) => [`config ${key}`, ...values.map((v) => (v === null ? null : Array.isArray(v) ? v.join(',') : String(v)))]),
    ...Object.entries(c.metrics).map(([key, values]) => [METRIC_LABELS[key] ?? key.replace(/\./, ' '), ...values.map(formatNumber)]),
  ]
  const parts = [formatTable(header, rows)]
  const model = c.perHorizon['test.mae']
  if (model && model[0] && model[0].length > 0) {
    const baselineColumns = Object.entries(c.perHorizon).filter(([key]) => key !== 'test.mae')
    const horizonHeader = ['step', ...c.runs.map((r) => `run ${r.id} MAE`), ...baselineColumns.map(([key]) => `${key.replace(/\.mae$/, '')} (run ${c.runs[0]!.id})`)]
    const horizonRows = model[0].map((_, s) => [
      s + 1,
      ...model.map((perRun) => formatNumber(perRun[s])),
      ...baselineColumns.map(([, perRun]) => formatNumber(perRun[0]?.[s])),
    ])
    parts.push('', 'Per-horizon MAE', formatTable(horizonHeader, horizonRows))
  }
  if (c.notes.length > 0) parts.push('', ...c.notes.map((note) => `note: ${note}`))
  return parts.join('\n')
}
