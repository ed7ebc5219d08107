/**
 * `npm run bench:import`: imports a 1,000,000-row × 10-numeric-column CSV (plus its time
 * column) into a temp workspace, timing it and measuring peak RSS, and compares with
 * pandas.read_csv on the same file (bench/reference/pandas_read_csv.py, system python3).
 * The CSV is generated once and cached under .bench/. `--rows N` for a smaller run. Then
 * imports the same file again, which returns the existing dataset.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { once } from 'node:events'
import { readCsv } from '../src/core/data/csv-read'
import { importCsv } from '../src/core/data/import'
import { openWorkspace } from '../src/core/store/workspace'
import { loadAverage } from './bench-args'

const rowsArg = process.argv.indexOf('--rows')
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000
const COLUMNS = 10
const PYTHON = '/usr/bin/python3'

async function generate(path: string): Promise<void> {
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  out.write(['time', ...Array.from({ length: COLUMNS }, (_, c) => `v${c}`)].join(',') + '\n')
  const start = Date.UTC(2000, 0, 1)
  let seed = 42
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed / 2147483648
  }
  let buffer = ''
  for (let r = 0; r < ROWS; r++) {
    let line = new Date(start + r * 60_000).toISOString().slice(0, 19)
    for (let c = 0; c < COLUMNS; c++) line += ',' + (Math.sin(r / 500 + c) * 100 + random() * 10).toFixed(4)
    buffer += line + '\n'
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain')
      buffer = ''
    }
  }
  out.end(buffer)
  await once(out, 'finish')
  renameSync(partial, path)
}

function pandasReference(path: string): { seconds: number; cpuSeconds: number; pandas: string } | string {
  const probe = spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' })
  if (probe.status !== 0) return `pandas is not installed for ${PYTHON} (apt install python3-pandas); reference skipped`
  const output = execFileSync(PYTHON, [resolve('bench/reference/pandas_read_csv.py'), path], { encoding: 'utf8' })
  return JSON.parse(output.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number; pandas: string }
}

const dir = resolve('.bench')
mkdirSync(dir, { recursive: true })
const csv = join(dir, `import-${ROWS}x${COLUMNS}.csv`)
if (!existsSync(csv)) {
  process.stdout.write(`generating ${csv} …\n`)
  await generate(csv)
}
const cpu = cpus()
process.stdout.write(`machine: ${cpu[0]?.model ?? 'unknown cpu'}, ${cpu.length} cores; load average ${loadAverage()}\n`)

const workspace = mkdtempSync(join(tmpdir(), 'clipcast-bench-'))
const db = openWorkspace(join(workspace, 'bench.db'))
const rssBefore = process.resourceUsage().maxRSS
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const dataset = await importCsv(db, { path: csv })
const seconds = (performance.now() - t0) / 1000
const cpuUsed = process.cpuUsage(cpu0)
const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6
const peakRssMiB = process.resourceUsage().maxRSS / 1024

// the same bytes again: found by their hash and returned (ALREADY_IMPORTED), no dataset built
const tAgain = performance.now()
const cpuAgain = process.cpuUsage()
const again = await importCsv(db, { path: csv })
const againSeconds = (performance.now() - tAgain) / 1000
const cpuAgainUsed = process.cpuUsage(cpuAgain)
if (again.id !== dataset.id) throw new Error(`the re-import made dataset ${again.id}, not ${dataset.id}`)
db.close()
rmSync(workspace, { recursive: true, force: true })
process.stdout.write(`clipcast import: ${dataset.rows.toLocaleString('en-US')} rows × ${dataset.columns.length} columns in ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU; peak RSS ${peakRssMiB.toFixed(0)} MiB (${(rssBefore / 1024).toFixed(0)} MiB before)\n`)
process.stdout.write(`re-import of the same bytes: ${againSeconds.toFixed(2)} s wall, ${((cpuAgainUsed.user + cpuAgainUsed.system) / 1e6).toFixed(2)} s CPU (${(seconds / againSeconds).toFixed(1)}× faster than the import)\n`)

// the floor under the import: the same streamed read (UTF-8 check, record splitting; the hash is a pass of its own) doing nothing with the records
const t1 = performance.now()
const cpu1 = process.cpuUsage()
await readCsv(csv, {
  dialect: { delimiter: ',', decimal: '.', fromLine: 1, decimalDetected: false },
  encoding: { encoding: 'utf-8', bomBytes: 0, detected: false },
  fileName: 'bench.csv',
  onRecord: () => {},
})
const readSeconds = (performance.now() - t1) / 1000
const cpuRead = process.cpuUsage(cpu1)
const readCpuSeconds = (cpuRead.user + cpuRead.system) / 1e6
process.stdout.write(`  of which the streamed read alone: ${readSeconds.toFixed(2)} s wall, ${readCpuSeconds.toFixed(2)} s CPU\n`)

const reference = pandasReference(csv)
if (typeof reference === 'string') {
  process.stdout.write(`pandas.read_csv: ${reference}\n`)
} else {
  process.stdout.write(`pandas ${reference.pandas} read_csv (+ISO dates, sort): ${reference.seconds.toFixed(2)} s wall, ${reference.cpuSeconds.toFixed(2)} s CPU\n`)
  // on a shared machine wall time swings with the load; CPU time is the steadier comparison
  process.stdout.write(`ratio clipcast / pandas: ${(seconds / reference.seconds).toFixed(2)}× wall, ${(cpuSeconds / reference.cpuSeconds).toFixed(2)}× CPU (goal ≤ 2×; the read alone is ${(readCpuSeconds / reference.cpuSeconds).toFixed(2)}× CPU); peak RSS goal < 1024 MiB\n`)
}
process.stdout.write(`load average after: ${loadAverage()}\n`)
