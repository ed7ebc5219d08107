import type { Command } from 'commander'
import { detectInterruptedRuns, getRun } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { action, formatTable, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

const fmt = (value: number | null | undefined, digits = 4) => (value === null || value === undefined || !Number.isFinite(value) ? null : value.toPrecision(digits))

/** `clipcast show <run>`: a run's config, epochs, recoveries, checkpoints and warnings. */
export function register(program: Command): void {
  program
    .command('show')
    .description('Show one run: configuration, epochs, recoveries and checkpoints.')
    .argument('<run>', 'run id')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"run":{…},"epochs":[…]}: the run with recoveries, checkpoints and warnings; epochs with every step\'s pre-clip norm (stepNorms)')
    .action(action((runArg: string, options: { db?: string; json?: boolean }) => {
      const db = openWorkspace(workspacePath(options.db))
      try {
        detectInterruptedRuns(db)
        const run = getRun(db, parseRunId(runArg))
        if (options.json) {
          // the per-step norms once, under epochs; run.epochRecords keeps the per-epoch summary
          const { epochRecords, ...rest } = run
          printJson({ run: { ...rest, epochRecords: epochRecords.map(({ stepNorms: _, ...summary }) => summary) }, epochs: epochRecords })
          return
        }
        const out: string[] = []
        out.push(`run ${run.id}  ${run.status}  dataset ${run.datasetId}  backend ${run.backend ?? '—'}  created ${run.createdAt}`)
        if (run.versions.gpuDescription !== undefined) out.push(`gpu ${run.versions.gpuDescription} (${run.versions.gpuVendor}, ${run.versions.gpuArchitecture}, Dawn ${run.versions.dawnBackend})`)
        if (run.error) out.push(`error ${run.error.code}: ${run.error.message}`)
        out.push(`best epoch ${run.bestEpoch ?? '—'} (val ${fmt(run.bestValLoss) ?? '—'})${run.metrics ? `  metrics ${JSON.stringify(run.metrics)}` : ''}`)
        out.push('', 'config', ...Object.entries(run.config).map(([key, value]) => `  ${key} = ${JSON.stringify(value)}`))
        if (run.epochRecords.length > 0) {
          out.push('', formatTable(
            ['epoch', 'train', 'val', '|g| mean', 'p50', 'p95', 'max', 'clipped', 'lr', 'threshold', 'seconds'],
            run.epochRecords.map((e) => [e.epoch, fmt(e.trainLoss), fmt(e.valLoss), fmt(e.gradNorm.mean, 3), fmt(e.gradNorm.p50, 3), fmt(e.gradNorm.p95, 3), fmt(e.gradNorm.max, 3), `${(e.clippedFraction * 100).toFixed(0)}%`, fmt(e.lr, 3), fmt(e.clipThreshold, 3), e.seconds.toFixed(1)]),
          ))
        }
        if (run.recoveries.length > 0) {
          out.push('', 'recoveries', formatTable(['epoch', 'step', 'lr', 'threshold', 'reason'], run.recoveries.map((r) => [r.epoch, r.step, fmt(r.lr, 3), fmt(r.clipThreshold, 3), r.reason])))
        }
        if (run.warnings.length > 0) out.push('', 'warnings', ...run.warnings.map((w) => `  ${w.code}: ${w.message}`))
        if (run.checkpoints.length > 0) {
          out.push('', 'checkpoints', formatTable(['kind', 'epoch', 'bytes', 'sha256'], run.checkpoints.map((c) => [c.kind, c.epoch, c.sizeBytes, c.sha256.slice(0, 16)])))
        }
        process.stdout.write(out.join('\n') + '\n')
      } finally {
        db.close()
      }
    }))
}
