import { Command, CommanderError } from 'commander'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { EXIT_FAILURE, failAndExit } from './output'
import { ClipcastError } from '../shared/errors'

/**
 * The clipcast command. Each file in ./commands exports `register(program)`; this file only
 * assembles them, so a new command is a new file.
 */
export async function buildProgram(): Promise<Command> {
  const program = new Command('clipcast')
    .description('Clipcast: import multivariate time series, train ConvLSTM forecasters with gradients under control, compare and export.')
    .version('0.1.0')
    .showHelpAfterError()
    // before the commands are added: subcommands copy it, so their usage errors also exit 2
    .exitOverride()
    // with --json stderr carries only the contract's one error object (written below)
    .configureOutput({ writeErr: (text) => (process.argv.includes('--json') ? undefined : process.stderr.write(text)) })
  const dir = fileURLToPath(new URL('./commands', import.meta.url))
  const files = readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).sort()
  // Loading one command's module (not all of them, with TensorFlow.js) keeps `clipcast datasets`
  // quick; help and unknown commands load every command so they can be listed.
  const invoked = commandFile(files)
  for (const file of invoked ? [invoked] : files) {
    const mod = (await import(new URL(`./commands/${file}`, import.meta.url).href)) as { register?: (p: Command) => void }
    mod.register?.(program)
  }
  return program
}

function commandFile(files: string[]): string | undefined {
  const name = process.argv.slice(2).find((arg) => !arg.startsWith('-'))
  return name === undefined ? undefined : files.find((file) => file === `${name}.ts`)
}

const program = await buildProgram()
try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) process.exit(0)
    const json = process.argv.includes('--json')
    if (json) failAndExit(new ClipcastError('BAD_REQUEST', error.message.replace(/^error: /, ''), { hint: 'Run clipcast --help for usage.' }), true)
    process.exit(EXIT_FAILURE)
  }
  failAndExit(error, process.argv.includes('--json'))
}
