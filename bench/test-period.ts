/**
 * `npm run bench:test-period -- --db W.db [--run N] [--repeat 3]`: times a run's
 * test period (the run view's getTestPeriod) read from the half-widths its evaluation stored
 * (run_test_intervals) against recomputing them (the same run in a copy of the workspace
 * without its row, as a run evaluated before they were stored), checks the two are identical,
 * and prints the bytes the row adds. Train the run first, e.g.
 * `npx clipcast train --sample --db W.db` (Seattle hourly, the default run).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectRunBackend } from '../src/core/eval/inference'
import { testPeriod } from '../src/core/eval/test-period'
import { getRunSummary } from '../src/core/store/runs'
import { testHalfWidthsSizeBytes } from '../src/core/store/test-half-widths'
import { openWorkspace, type Db } from '../src/core/store/workspace'
import { loadAverage, option } from './bench-args'

const path = option('--db')
if (!path) throw new Error('--db W.db is required')
const repeat = Number(option('--repeat') ?? 3)

async function timed(db: Db, runId: number): Promise<{ ms: number[]; result: unknown }> {
  const ms: number[] = []
  let result: unknown
  for (let k = 0; k < repeat; k++) {
    const start = performance.now()
    result = await testPeriod(db, runId)
    ms.push(performance.now() - start)
  }
  return { ms, result }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const dir = mkdtempSync(join(tmpdir(), 'clipcast-test-period-'))
const copy = join(dir, 'recomputed.db')
copyFileSync(path, copy)
const db = openWorkspace(path)
const bare = openWorkspace(copy)
try {
  const runId = Number(option('--run') ?? (db.prepare('SELECT max(id) AS id FROM runs').get() as { id: number }).id)
  const run = getRunSummary(db, runId)
  const { backend } = await selectRunBackend(run)
  const bytes = testHalfWidthsSizeBytes(db, runId)
  bare.prepare('DELETE FROM run_test_intervals WHERE run_id = ?').run(runId)
  console.log(`load average ${loadAverage()}; run ${runId} on ${backend.name}, ${repeat} calls each; stored half-widths ${bytes} bytes`)
  const recomputed = await timed(bare, runId)
  const stored = await timed(db, runId)
  const before = median(recomputed.ms)
  const after = median(stored.ms)
  console.log(`recomputed: ${recomputed.ms.map((v) => v.toFixed(0)).join(', ')} ms (median ${before.toFixed(0)})`)
  console.log(`stored:     ${stored.ms.map((v) => v.toFixed(0)).join(', ')} ms (median ${after.toFixed(0)})`)
  console.log(`${(before / after).toFixed(1)}× faster; results identical: ${isDeepStrictEqual(recomputed.result, stored.result)}`)
  console.log(`load average ${loadAverage()}`)
} finally {
  db.close()
  bare.close()
  rmSync(dir, { recursive: true, force: true })
}
