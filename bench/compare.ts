/**
 * `npm run bench:compare -- --db W.db [--runs 1,2,3] [--repeat 3]`: times Compare's requests
 * for some runs as the Compare view makes them (src/renderer/src/composables/useComparison.ts,
 * useExperiments.ts): compareRuns, then getTestForecasts of each run, through the browser
 * host's handlers on the workspace. The first call of a run may compute its test forecasts;
 * the later ones show what a repeated Compare costs. Prints the machine's load average before
 * and after. Train the runs first, e.g. `npx clipcast train --sample --db W.db --seed N`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { createApiHandlers } from '../src/core/api-handlers'
import { PathGrants } from '../src/core/path-grants'
import { openWorkspace } from '../src/core/store/workspace'
import { loadAverage, option } from './bench-args'

const path = option('--db')
if (!path) throw new Error('--db W.db is required')
const repeat = Number(option('--repeat') ?? 3)

const db = openWorkspace(path)
const dir = mkdtempSync(join(tmpdir(), 'clipcast-bench-compare-'))
try {
  const ids = option('--runs')?.split(',').map(Number) ?? (db.prepare("SELECT id FROM runs WHERE status = 'completed' ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id)
  const api = createApiHandlers({ db, workspacePath: path, host: 'browser', version: 'bench', emit: () => {}, grants: new PathGrants(true), uploadDir: join(dir, 'up') })
  console.log(`load average ${loadAverage()}; runs ${ids.join(', ')}, ${repeat} Compare requests`)
  const ms: number[] = []
  let first: unknown
  let same = true
  for (let k = 0; k < repeat; k++) {
    const start = performance.now()
    const result = [await api.compareRuns(ids), ...(await Promise.all(ids.map((id) => api.getTestForecasts(id))))]
    ms.push(performance.now() - start)
    if (k === 0) first = result
    else same &&= isDeepStrictEqual(result, first)
  }
  const later = ms.slice(1).sort((a, b) => a - b)
  console.log(`Compare: ${ms.map((v) => v.toFixed(0)).join(', ')} ms (first, then median of the rest ${later[Math.floor(later.length / 2)]?.toFixed(0)}); results identical: ${same}`)
  console.log(`load average ${loadAverage()}`)
} finally {
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
