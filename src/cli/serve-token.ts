import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { ClipcastError } from '../shared/errors'

export const MIN_TOKEN_CHARS = 8

/**
 * The browser host's access token: `--token-file`, else CLIPCAST_TOKEN, else a random one.
 * `--token` still works (scripts and the e2e suite use it) but any user can read a command
 * line with `ps`, so it comes with a warning.
 */
export function chooseServeToken(
  options: { token?: string; tokenFile?: string },
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (message) => process.stderr.write(message),
): string {
  if (options.token !== undefined) {
    warn('warning: a --token on the command line is visible to every user of this machine (ps); prefer CLIPCAST_TOKEN or --token-file.\n')
    return checked(options.token, '--token')
  }
  if (options.tokenFile !== undefined) {
    let text: string
    try {
      text = readFileSync(options.tokenFile, 'utf8')
    } catch (error) {
      throw new ClipcastError('FILE_READ', `Cannot read the token file ${options.tokenFile}: ${(error as Error).message}.`, { hint: 'Give a readable file whose first line is the token.' })
    }
    return checked(text.split(/\r?\n/)[0]!.trim(), `the token file ${options.tokenFile}`)
  }
  const fromEnv = env.CLIPCAST_TOKEN
  if (fromEnv !== undefined && fromEnv !== '') return checked(fromEnv.trim(), 'CLIPCAST_TOKEN')
  return randomBytes(24).toString('base64url')
}

function checked(token: string, source: string): string {
  if (token.length < MIN_TOKEN_CHARS) {
    throw new ClipcastError('BAD_REQUEST', `The token from ${source} is too short.`, { hint: `Use at least ${MIN_TOKEN_CHARS} characters, or give none for a random one.` })
  }
  return token
}
