import type { Command } from 'commander'
import { action } from '../output'
import { labelCommand } from './tag'

/** `clipcast note <run> [text…] [--clear]`: sets or clears a run's note. */
export function register(program: Command): void {
  program
    .command('note')
    .description('Set the note of a run (the words given, joined by spaces); --clear removes it; with neither, print it.')
    .argument('<run>', 'run id')
    .argument('[text...]', 'the note')
    .option('--clear', 'remove the note')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print {"labels":{"runId","tags","note"}}')
    .action(action((runArg: string, words: string[], options: { clear?: boolean; db?: string; json?: boolean }) => {
      const change = options.clear ? { note: '' } : words.length > 0 ? { note: words.join(' ') } : null
      labelCommand(runArg, change, options)
    }))
}
