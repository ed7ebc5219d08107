import type { Command } from 'commander'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ClipcastError } from '../../shared/errors'
import { startBrowserHost } from '../../server/browser-host'
import { isLoopbackHost } from '../../server/http-host'
import { TrainingManager } from '../../core/train/training-manager'
import { spawnTrainingThread } from '../../core/train/worker-threads'
import { action } from '../output'
import { chooseServeToken } from '../serve-token'
import { workspacePath } from '../args'

interface ServeOptions {
  port: string
  host: string
  db?: string
  token?: string
  tokenFile?: string
  open?: boolean
}

/** `clipcast serve`: the workbench in a browser, over the same Api as the desktop app. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the Clipcast workbench to a browser (loopback only unless --host is given; requires the printed token).')
    .option('--port <port>', 'TCP port (0 picks a free one)', '5174')
    .option('--host <address>', 'address to listen on; anything but loopback exposes the workbench to your network', '127.0.0.1')
    .option('--db <file>', 'workspace file', undefined)
    .option('--token-file <file>', 'read the access token from the first line of this file (default: CLIPCAST_TOKEN, else a random one)')
    .option('--token <token>', 'access token on the command line (visible to other users in ps; prefer --token-file or CLIPCAST_TOKEN)')
    .option('--open', 'open the workbench in the default browser')
    .action(action(async (options: ServeOptions) => {
      const port = Number(options.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new ClipcastError('BAD_REQUEST', `--port must be a whole number from 0 to 65535; received ${options.port}.`)
      }
      const token = chooseServeToken(options)
      const rendererDir = resolve(fileURLToPath(new URL('../../../out/renderer', import.meta.url)))
      const built = existsSync(join(rendererDir, 'index.html'))
      const host = await startBrowserHost({
        dbPath: workspacePath(options.db),
        host: options.host,
        port,
        token,
        rendererDir,
        version: program.version() ?? '0.0.0',
        // each run in a worker thread (the tsx entry, as for the CLI); events go to every open page
        createTraining: (dbPath, emit) => new TrainingManager({ dbPath, spawn: spawnTrainingThread, onEvent: emit }),
      })
      if (!built) process.stderr.write('The renderer is not built yet: run `npm run build:web`, then reload the page.\n')
      if (!isLoopbackHost(options.host)) {
        process.stderr.write(`warning: listening on ${options.host}: anyone on your network who has the token can use this workbench.\n`)
      }
      process.stdout.write(`Clipcast is serving ${host.url}\nOpen ${host.openUrl}\n`)
      if (options.open) openInBrowser(host.openUrl)
      const stop = (): void => {
        void host.close().then(() => process.exit(0))
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      await new Promise<void>(() => {})
    }))
}

function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' })
  child.on('error', () => process.stderr.write(`Could not open a browser; open ${url} yourself.\n`))
  child.unref()
}
