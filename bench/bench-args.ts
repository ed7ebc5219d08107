// What the bench scripts share: a `--name value` option and the machine's load, printed beside
// every figure (README: figures are ratios against a reference run in the same command).
import { loadavg } from 'node:os'

/** The value after `--name` on the command line, if given. */
export const option = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined)

/** The 1, 5 and 15 minute load averages: `0.84 1.20 1.31`. */
export const loadAverage = (): string => loadavg().map((v) => v.toFixed(2)).join(' ')
