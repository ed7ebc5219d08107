import { afterEach, describe, expect, it, vi } from 'vitest'
import { failAndExit } from '../../../src/cli/output'
import { ClipcastError } from '../../../src/shared/errors'

afterEach(() => vi.restoreAllMocks())

/** What failAndExit writes to stderr for `error` (process.exit is caught, not taken). */
function stderrOf(error: unknown, json: boolean): string {
  const written: string[] = []
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0)
  vi.spyOn(process, 'exit').mockImplementation(((code: number) => {
    throw new Error(`exit ${code}`)
  }) as never)
  expect(() => failAndExit(error, json)).toThrow('exit 2')
  return written.join('')
}

const diverged = new ClipcastError('RUN_DIVERGED', 'The loss turned NaN at epoch 3.', {
  hint: 'Try a lower {lr}, set {clip} to norm, or set {onDiverge} to recover.',
  details: { settings: ['lr', 'clip', 'onDiverge'] },
})

describe('the CLI\'s error hint', () => {
  it('names the settings a hint points at by their flags', () => {
    expect(stderrOf(diverged, false)).toContain('hint: Try a lower --lr, set --clip to norm, or set --on-diverge to recover.\n')
  })

  it('does so in the --json error object too', () => {
    const line = JSON.parse(stderrOf(diverged, true)) as { error: { code: string; hint: string } }
    expect(line.error).toEqual({ code: 'RUN_DIVERGED', message: 'The loss turned NaN at epoch 3.', hint: 'Try a lower --lr, set --clip to norm, or set --on-diverge to recover.' })
  })
})
