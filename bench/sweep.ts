/**
 * How long a 4-run sweep on the bundled sample takes with --parallel 1 and with --parallel 2:
 * the real CLI, each K in its own fresh workspace (the sample imported before the clock starts).
 *
 *   npm run bench:sweep [-- --epochs 2 --backend auto --json]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const CLI = fileURLToPath(new URL('../bin/clipcast.mjs', import.meta.url))
const args = process.argv.slice(2)
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`)
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback
}
const epochs = flag('epochs', '2')
const backend = flag('backend', 'auto')
const json = args.includes('--json')
const SETTINGS = ['--horizon', '6', '--lookback', '24', '--filters', '8', '--batch', '64', '--patience', '0', '--epochs', epochs, '--backend', backend]

function cli(argv: string[]): string {
  return execFileSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CLIPCAST_DB: '' } })
}

function timeSweep(parallel: number): { parallel: number; seconds: number; backend: string; runs: number } {
  const db = join(mkdtempSync(join(tmpdir(), 'clipcast-bench-sweep-')), 'ws.db')
  const imported = JSON.parse(cli(['import', '--sample', '--db', db, '--json']).trim().split('\n').at(-1)!) as { dataset?: { id: number }; id?: number }
  const datasetId = imported.dataset?.id ?? imported.id ?? 1
  const started = performance.now()
  const out = cli(['sweep', String(datasetId), '--vary', 'clip-threshold=0.5,5', '--vary', 'lr=1e-3,1e-2', '--parallel', String(parallel), '--db', db, '--json', ...SETTINGS])
  const seconds = (performance.now() - started) / 1000
  const done = JSON.parse(out.trim().split('\n').at(-1)!) as { sweep: { runs: Array<{ status: string; backend: string }> } }
  const bad = done.sweep.runs.filter((r) => r.status !== 'completed')
  if (bad.length > 0) throw new Error(`${bad.length} runs did not complete`)
  return { parallel, seconds, backend: done.sweep.runs[0]?.backend ?? '?', runs: done.sweep.runs.length }
}

const loadBefore = loadavg()[0]!
const results = [timeSweep(1), timeSweep(2)]
const ratio = results[1]!.seconds / results[0]!.seconds
const machine = { cores: availableParallelism(), loadBefore: Number(loadBefore.toFixed(2)), loadAfter: Number(loadavg()[0]!.toFixed(2)) }
for (const r of results) process.stdout.write(`--parallel ${r.parallel}: ${r.runs} runs in ${r.seconds.toFixed(1)} s (backend ${r.backend})\n`)
process.stdout.write(`--parallel 2 takes ${ratio.toFixed(2)}× the time of --parallel 1 (${machine.cores} cores, load ${machine.loadBefore} → ${machine.loadAfter}; settings ${SETTINGS.join(' ')})\n`)
if (json) process.stdout.write(JSON.stringify({ results, ratio, machine }) + '\n')
