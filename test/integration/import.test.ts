import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../src/core/data/import'
import { listDatasets, readColumn, readTimes } from '../../src/core/store/datasets'
import { openWorkspace } from '../../src/core/store/workspace'

const DATA = '/work/shared/data'
const files = readdirSync(DATA).filter((f) => f.endsWith('.csv')).sort()
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'clipcast-int-')), 'ws.db')

/**
 * How each real file's time column reads, independently of the importer (Date.parse and
 * Date.UTC on the cell), and what the import must make of it; `seriesColumn` for the
 * long-format file. A file missing here fails, so a new data file needs its expectation.
 */
const EXPECTED: Record<string, { time: (cell: string) => number; frequency: string; timeFormat?: string; seriesColumn?: string }> = {
  'co2-concentration.csv': { time: (c) => Date.parse(c), frequency: 'monthly' },
  'github.csv': { time: (c) => Date.parse(`${c.replace(/\//g, '-').replace(' ', 'T')}Z`), frequency: 'irregular', timeFormat: 'yyyy/MM/dd HH:mm:ss' },
  'global-temp.csv': { time: (c) => Date.UTC(Number(c), 0, 1), frequency: 'yearly', timeFormat: 'yyyy' },
  'iowa-electricity.csv': { time: (c) => Date.parse(c), frequency: 'yearly', seriesColumn: 'source' },
  'seattle-weather-hourly-normals.csv': { time: (c) => Date.parse(`${c}Z`), frequency: 'hourly' },
  'sp500-2000.csv': { time: (c) => Date.parse(c), frequency: 'business-daily' },
  'sp500.csv': { time: (c) => Date.parse(`${c} UTC`), frequency: 'monthly', timeFormat: 'MMM d yyyy' },
}

/** An independent reading of these plain files (no quotes in them): split lines and commas; a long file pivoted by its series column. */
function independentParse(file: string): { header: string[]; times: number[]; columns: Record<string, number[]> } {
  const expected = EXPECTED[file]!
  const lines = readFileSync(join(DATA, file), 'utf8').split(/\r?\n/).filter((l) => l.length > 0)
  const header = lines[0]!.split(',')
  const rows = lines.slice(1).map((l) => l.split(','))
  if (expected.seriesColumn === undefined) {
    const columns = Object.fromEntries(header.slice(1).map((name, c) => [name, rows.map((r) => Number(r[c + 1]))]))
    return { header, times: rows.map((r) => expected.time(r[0]!)), columns }
  }
  const s = header.indexOf(expected.seriesColumn)
  const times = [...new Set(rows.map((r) => expected.time(r[0]!)))].sort((a, b) => a - b)
  const columns: Record<string, number[]> = {}
  for (const r of rows) (columns[r[s]!] ??= times.map(() => NaN))[times.indexOf(expected.time(r[0]!))] = Number(r[header.length - 1])
  return { header, times, columns }
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [resolve('bin/clipcast.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, CLIPCAST_DB: '' } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function expectReadBackEqual(dbPath: string, id: number, file: string): void {
  const expected = independentParse(file)
  const db = openWorkspace(dbPath)
  try {
    expect(Array.from(readTimes(db, id))).toEqual(expected.times)
    for (const [name, values] of Object.entries(expected.columns)) expect(Array.from(readColumn(db, id, name)), name).toEqual(values)
  } finally {
    db.close()
  }
}

describe.each(files)('importing %s', (file) => {
  const path = join(DATA, file)
  const expected = EXPECTED[file]

  it('through importCsv reads back equal to an independent parse', async () => {
    expect(expected, `an expectation for ${file}`).toBeDefined()
    const dbPath = tempDb()
    const db = openWorkspace(dbPath)
    const dataset = await importCsv(db, { path, ...(expected!.seriesColumn ? { seriesColumn: expected!.seriesColumn } : {}) })
    db.close()
    const independent = independentParse(file)
    expect(dataset).toMatchObject({ rows: independent.times.length, timeColumn: independent.header[0], frequency: expected!.frequency })
    expect(dataset.timeFormat).toBe(expected!.timeFormat)
    expectReadBackEqual(dbPath, dataset.id, file)
  })

  it('through the CLI prints the contract JSON and reads back equal', () => {
    const dbPath = tempDb()
    const imported = run(['import', path, '--db', dbPath, '--json', ...(expected?.seriesColumn ? ['--series-column', expected.seriesColumn] : [])])
    expect(imported.status, imported.stderr).toBe(0)
    const { dataset } = JSON.parse(imported.stdout) as { dataset: Record<string, unknown> & { id: number; columns: Array<Record<string, unknown>> } }
    const keys = ['columns', 'end', 'frequency', 'id', 'name', 'rows', 'start', 'timeColumn', 'warnings', ...(expected?.timeFormat ? ['timeFormat'] : [])]
    expect(Object.keys(dataset).sort()).toEqual(keys.sort())
    expect(Object.keys(dataset.columns[0]!).sort()).toEqual(['kind', 'missing', 'name'])
    expectReadBackEqual(dbPath, dataset.id, file)
  })
})

describe('clipcast datasets, errors and the bundled sample', () => {
  it('lists every imported dataset as {"datasets":[…]}', async () => {
    const dbPath = tempDb()
    const db = openWorkspace(dbPath)
    const ids: number[] = []
    for (const file of files) ids.push((await importCsv(db, { path: join(DATA, file), seriesColumn: EXPECTED[file]?.seriesColumn })).id)
    db.close()
    const listed = run(['datasets', '--db', dbPath, '--json'])
    expect(listed.status, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as { datasets: Array<{ id: number }> }).datasets.map((d) => d.id)).toEqual(ids)
  })

  it('refuses the long-format file without --series-column and names the column', () => {
    const result = run(['import', join(DATA, 'iowa-electricity.csv'), '--db', tempDb(), '--json'])
    expect(result.status).toBe(2)
    expect((JSON.parse(result.stderr) as { error: { code: string } }).error.code).toBe('DUPLICATE_TIMESTAMPS')
  })

  it('exits 2 with one JSON error object on stderr, and writes nothing', () => {
    const dbPath = tempDb()
    const dir = mkdtempSync(join(tmpdir(), 'clipcast-int-'))
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, 'time,a\n2024-01-01,1\n2024-01-02,inf\n')
    const result = run(['import', bad, '--db', dbPath, '--json'])
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    const { error } = JSON.parse(result.stderr) as { error: { code: string; message: string; hint: string } }
    expect(error.code).toBe('CSV_NON_FINITE')
    expect(Object.keys(error).sort()).toEqual(['code', 'hint', 'message'])
    const db = openWorkspace(dbPath)
    expect(listDatasets(db)).toEqual([])
    db.close()
  })

  it('imports the bundled sample by name and prints a human summary without --json', () => {
    const result = run(['import', '--sample', '--db', tempDb()])
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/rows, hourly/)
    expect(result.stdout).toMatch(/temperature\s+numeric\s+0/)
  })
})
