import type { Command } from 'commander'
import { clipAdviceFor } from '../../core/clip-advice'
import { detectInterruptedRuns } from '../../core/store/runs'
import { openWorkspace } from '../../core/store/workspace'
import { action, printJson } from '../output'
import { parseRunId, workspacePath } from '../args'

/** `clipcast suggest-clip <run>`: clip thresholds from the run's own step norms, with the diagnosis. */
export function register(program: Command): void {
  program
    .command('suggest-clip')
    .description('Suggest clipping from a run\'s own pre-clip step norms: AutoClip p10 and a fixed global norm, each with the share of steps it would have clipped.')
    .argument('<run>', 'run id')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"suggestions":[{"mode","threshold","why",…}],"diagnosis":"…"}')
    .action(action((runArg: string, options: { db?: string; json?: boolean }) => {
      const db = openWorkspace(workspacePath(options.db))
      try {
        detectInterruptedRuns(db)
        const advice = clipAdviceFor(db, parseRunId(runArg))
        if (options.json) {
          printJson({ suggestions: advice.suggestions, diagnosis: advice.diagnosis })
          return
        }
        const lines = [advice.diagnosis, '']
        for (const s of advice.suggestions) {
          const flags = s.mode === 'auto' ? `--clip auto --clip-percentile ${s.percentile}` : `--clip norm --clip-threshold ${Number(s.threshold.toPrecision(3))}`
          lines.push(`${flags}`, `  ${s.why}`)
        }
        process.stdout.write(lines.join('\n') + '\n')
      } finally {
        db.close()
      }
    }))
}
