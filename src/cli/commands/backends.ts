import type { Command } from 'commander'
import { describeBackends } from '../../core/backend-report'
import { action, formatTable, printJson } from '../output'

/** `clipcast backends`: what each TensorFlow.js backend would compute on here, in auto's order. */
export function register(program: Command): void {
  program
    .command('backends')
    .description('List the compute backends in the order auto tries them: available or why not, the GPU they use, their threads.')
    .option('--json', 'print {"backends":[{"name","available","reason","device","threads"}]}')
    .action(action(async (options: { json?: boolean }) => {
      const backends = await describeBackends()
      if (options.json) {
        printJson({ backends })
        return
      }
      const chosen = backends.find((b) => b.available && b.reason === null)
      const rows = backends.map((b) => [b.name, b.available ? 'yes' : 'no', b.device ?? '—', b.available ? b.threads : '—', b === chosen ? 'auto picks this one' : b.reason ?? ''])
      process.stdout.write(formatTable(['backend', 'available', 'device', 'threads', 'note'], rows) + '\n')
    }))
}
