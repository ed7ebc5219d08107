import { toErrorData, type ErrorData } from '../shared/errors'
import { flagName, phraseHint } from '../shared/setting-hints'

/** Exit code of every failed command, as the CLI contract says. */
export const EXIT_FAILURE = 2

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n')
}

/** Prints an error the way the contract says (JSON object on stderr with --json) and exits 2. */
export function failAndExit(error: unknown, json: boolean): never {
  const data: ErrorData = toErrorData(error)
  // a hint names the settings it points at by key; here they are flags
  const hint = phraseHint(data, flagName)
  if (json) {
    const { code, message } = data
    process.stderr.write(JSON.stringify({ error: { code, message, hint: hint ?? null } }) + '\n')
  } else {
    process.stderr.write(`error ${data.code}: ${data.message}\n`)
    if (hint) process.stderr.write(`hint: ${hint}\n`)
    if (data.code === 'INTERNAL' && error instanceof Error && error.stack && process.env.CLIPCAST_DEBUG) process.stderr.write(error.stack + '\n')
  }
  process.exit(EXIT_FAILURE)
}

/** Wraps a command action: any error becomes the contract's error output and exit code 2. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const json = process.argv.includes('--json')
    try {
      await fn(...args)
    } catch (error) {
      failAndExit(error, json)
    }
  }
}

/** Renders a table of rows as aligned plain text for terminal output. */
export function formatTable(header: string[], rows: Array<Array<string | number | null | undefined>>): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '—' : String(cell))))]
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)))
  return cells.map((row) => row.map((cell, i) => (cell ?? '').padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n')
}

/** Numbers for a terminal: 4 significant digits, integers as they are. */
export function formatNumber(value: number | null | undefined): string | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null
  if (Number.isInteger(value)) return String(value)
  return String(Number(value.toPrecision(4)))
}
