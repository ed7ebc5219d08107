import { SingleBar } from 'cli-progress'

export interface Progress {
  /** fraction in [0, 1]; `detail` is shown after the bar (e.g. "12,345 rows"). */
  update(fraction: number, detail?: string): void
  stop(): void
}

const SILENT: Progress = { update: () => {}, stop: () => {} }

/**
 * A terminal progress bar for long commands, drawn on stderr so stdout stays clean. Silent
 * in --json mode and when stdout is not a terminal (pipes, CI, tests).
 */
export function createProgress(label: string, options: { json?: boolean } = {}): Progress {
  if (options.json === true || process.stdout.isTTY !== true || process.stderr.isTTY !== true) return SILENT
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% {detail}`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: true,
    stopOnComplete: false,
    fps: 10,
    stream: process.stderr,
  })
  bar.start(1000, 0, { detail: '' })
  return {
    update: (fraction, detail = '') => bar.update(Math.round(Math.min(1, Math.max(0, fraction)) * 1000), { detail }),
    stop: () => bar.stop(),
  }
}
