import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readColumn, readTimes } from '../../src/core/store/datasets'
import { openWorkspace } from '../../src/core/store/workspace'

const FIXTURES = resolve('test/fixtures/csv')
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'clipcast-cli-')), 'ws.db')

function clipcast(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [resolve('bin/clipcast.mjs'), ...args], { encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('clipcast import options', () => {
  it('asks for the day/month order, then reads a European file with --time-format', () => {
    const dbPath = tempDb()
    const file = join(FIXTURES, 'european-semicolon.csv')
    const refused = clipcast(['import', file, '--db', dbPath, '--json'])
    expect(refused.status).toBe(2)
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'CSV_AMBIGUOUS_DATE_ORDER' } })

    const imported = clipcast(['import', file, '--db', dbPath, '--json', '--time-format', 'DD/MM/YYYY HH:MM', '--name', 'Wetter'])
    expect(imported.status, imported.stderr).toBe(0)
    const { dataset } = JSON.parse(imported.stdout) as { dataset: { id: number; name: string; frequency: string; columns: unknown[] } }
    expect(dataset).toMatchObject({ name: 'Wetter', frequency: 'hourly', timeColumn: 'Datum' })
    expect(dataset.columns).toEqual([
      { name: 'Temperatur', kind: 'numeric', missing: 0 },
      { name: 'Niederschlag', kind: 'numeric', missing: 2 },
      { name: 'Station', kind: 'text', missing: 0 },
    ])
    const db = openWorkspace(dbPath)
    expect(Array.from(readColumn(db, dataset.id, 'Temperatur'))).toEqual([1.5, 1001.25, -0.75, 0.5])
    expect(readTimes(db, dataset.id)[0]).toBe(Date.UTC(2024, 0, 3, 0))
    db.close()
  })

  it('previews with --dry-run and writes nothing, then pivots with --series-column and writes quarters back', () => {
    const dbPath = tempDb()
    const long = join(FIXTURES, 'stocks-long.csv')
    const refused = clipcast(['import', long, '--db', dbPath, '--json', '--dry-run'])
    expect(refused.status).toBe(2)
    expect(JSON.parse(refused.stdout)).toMatchObject({ preview: { header: ['symbol', 'date', 'price'], settings: { timeColumn: '' } } })
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'DUPLICATE_TIMESTAMPS' } })
    const preview = clipcast(['import', long, '--db', dbPath, '--dry-run', '--series-column', 'symbol'])
    expect(preview.status, preview.stderr).toBe(0)
    expect(preview.stdout).toMatch(/6 rows, monthly/)
    expect(preview.stdout).toMatch(/IBM\s+numeric\s+1/)
    expect(preview.stdout).toContain('read with delimiter ",", decimal ".", utf-8\n')
    const listed = clipcast(['datasets', '--db', dbPath, '--json'])
    expect(JSON.parse(listed.stdout)).toEqual({ datasets: [] })

    const quarterly = clipcast(['import', join(FIXTURES, 'macro-year-quarter.csv'), '--db', dbPath])
    expect(quarterly.stdout).toMatch(/quarterly, 1959Q1 → 1961Q4/)
  })

  it('takes --time-column and --delimiter, and reads quoted headers and cells', () => {
    const dbPath = tempDb()
    const imported = clipcast(['import', join(FIXTURES, 'epoch-quoted.csv'), '--db', dbPath, '--json', '--time-column', 'when', '--delimiter', ','])
    expect(imported.status, imported.stderr).toBe(0)
    const { dataset } = JSON.parse(imported.stdout) as { dataset: { id: number; start: string; columns: Array<{ name: string }> } }
    expect(dataset.start).toBe(new Date(1_700_000_000_000).toISOString())
    expect(dataset.columns.map((c) => c.name)).toEqual(['a, quoted', 'b'])
  })

  it('refuses a bad --decimal as a bad request', () => {
    const result = clipcast(['import', join(FIXTURES, 'epoch-quoted.csv'), '--db', tempDb(), '--json', '--decimal', ';'])
    expect(result.status).toBe(2)
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: 'BAD_REQUEST' } })
  })
})
