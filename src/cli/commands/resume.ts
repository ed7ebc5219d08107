import type { Command } from 'commander'
import { action } from '../output'
import { followRun } from '../follow-run'
import { parseRunId, positiveInteger, workspacePath } from '../args'

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
      const epochs = options.epochs === undefined ? undefined : positiveInteger('epochs', options.epochs, 'INVALID_CONFIG', 'It is the run\'s total, counting the epochs already trained.')
      await followRun(workspacePath(options.db), Boolean(options.json), (manager) => manager.resume(runId, epochs === undefined ? {} : { epochs }))
    }))
}
