import type { Command } from 'commander'
import { resolve } from 'node:path'
import { defaultWorkspacePath } from '../../core/paths'
import { ClipcastError } from '../../shared/errors'
import { action } from '../output'
import { parseRunId } from './runs'
import { followRun } from './train'

/** `clipcast resume <run>`: continues a stopped or interrupted run from its last checkpoint. */
export function register(program: Command): void {
  program
    .command('resume')
    .description('Continue a stopped or interrupted run from its last checkpoint, with its stored config and optimizer state.')
    .argument('<run>', 'run id')
    .option('--epochs <N>', 'total epochs for the run (default: its stored config)')
    .option('--db <file>', 'workspace file')
    .option('--json', 'NDJSON like clipcast train --json')
    .action(action(async (runArg: string, options: { epochs?: string; db?: string; json?: boolean }) => {
      const runId = parseRunId(runArg)
      let epochs: number | undefined
      if (options.epochs !== undefined) {
        epochs = Number(options.epochs)
        if (!Number.isInteger(epochs) || epochs < 1) {
          throw new ClipcastError('INVALID_CONFIG', `--epochs must be a whole number of at least 1; received ${JSON.stringify(options.epochs)}.`, { hint: 'It is the run\'s total, counting the epochs already trained.' })
        }
      }
      await followRun(resolve(options.db ?? defaultWorkspacePath()), Boolean(options.json), (manager) => manager.resume(runId, epochs === undefined ? {} : { epochs }))
    }))
}
