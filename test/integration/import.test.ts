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

/** An independent reading of these plain files (no quotes in them): split lines and commas, Date.parse as UTC. */
function independentParse(path: string): { header: string[]; times: number[]; columns: number[][] } {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0)
  const header = lines[0]!.split(',')
  const rows = lines.slice(1).map((l) => l.split(','))
  const times = rows.map((r) => Date.parse(r[0]!.length === 10 ? r[0]! : `${r[0]}Z`))
  const columns = header.slice(1).map((_, c) => rows.map((r) => Number(r[c + 1])))
  return { header, times, columns }
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [resolve('bin/clipcast.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, CLIPCAST_DB: '' } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function expectReadBackEqual(dbPath: string, id: number, path: string): void {
  const expected = independentParse(path)
  const db = openWorkspace(dbPath)
  try {
    expect(Array.from(readTimes(db, id))).toEqual(expected.times)
    expected.header.slice(1).forEach((name, c) => {
      expect(Array.from(readColumn(db, id, name)), name).toEqual(expected.columns[c])
    })
  } finally {
    db.close()
  }
}

describe.each(files)('importing %s', (file) => {
  const path = join(DATA, file)

  it('through importCsv reads back equal to an independent parse', async () => {
    const dbPath = tempDb()
    const db = openWorkspace(dbPath)
    const dataset = await importCsv(db, { path })
    db.close()
    const expected = independentParse(path)
    expect(dataset.rows).toBe(expected.times.length)
    expect(dataset.timeColumn).toBe(expected.header[0])
    expectReadBackEqual(dbPath, dataset.id, path)
  })

  it('through the CLI prints the contract JSON and reads back equal', () => {
    const dbPath = tempDb()
    const imported = run(['import', path, '--db', dbPath, '--json'])
    expect(imported.status, imported.stderr).toBe(0)
    const { dataset } = JSON.parse(imported.stdout) as { dataset: Record<string, unknown> & { id: number; columns: Array<Record<string, unknown>> } }
    expect(Object.keys(dataset).sort()).toEqual(['columns', 'end', 'frequency', 'id', 'name', 'rows', 'start', 'timeColumn', 'warnings'])
    expect(Object.keys(dataset.columns[0]!).sort()).toEqual(['kind', 'missing', 'name'])
    expectReadBackEqual(dbPath, dataset.id, path)

  })
})

describe('clipcast datasets, errors and the bundled sample', () => {
  it('lists every imported dataset as {"datasets":[…]}', async () => {
    const dbPath = tempDb()
    const db = openWorkspace(dbPath)
    const ids: number[] = []
    for (const file of files) ids.push((await importCsv(db, { path: join(DATA, file) })).id)
    db.close()
    const listed = run(['datasets', '--db', dbPath, '--json'])
    expect(listed.status, listed.stderr).toBe(0)
    expect((JSON.parse(listed.stdout) as { datasets: Array<{ id: number }> }).datasets.map((d) => d.id)).toEqual(ids)
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
