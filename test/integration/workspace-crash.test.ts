import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, openWorkspace, SCHEMA_VERSION, type Db } from '../../src/core/store/workspace'
import { MIGRATIONS } from '../../src/core/store/migrations'
import { ROOT } from '../helpers/cli'

/** RELIABILITY 2: a schema migration that dies halfway leaves the version and the schema as they were. */
const tempPath = () => join(mkdtempSync(join(tmpdir(), 'clipcast-migrate-')), 'ws.db')
const tables = (db: Db) => (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((t) => t.name)

describe('a migration that does not finish', () => {
  it('rolls back when a statement fails halfway: version and schema unchanged, the next start migrates (reliability 2)', () => {
    const db = openWorkspace(tempPath())
    try {
      const before = tables(db)
      expect(() => migrate(db, [...MIGRATIONS, `CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1); INSERT INTO no_such_table VALUES (1);`])).toThrow(/no such table/)
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(tables(db)).toEqual(before)
      migrate(db, [...MIGRATIONS, `CREATE TABLE extra (x INTEGER); INSERT INTO extra VALUES (1);`])
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
      expect(db.prepare('SELECT x FROM extra').all()).toEqual([{ x: 1 }])
    } finally {
      db.close()
    }
  })

  it('leaves version and schema unchanged when the process is killed mid-migration, and opens as before (reliability 2)', () => {
    const path = tempPath()
    openWorkspace(path).close()
    const child = spawnSync(process.execPath, [join(ROOT, 'bin/run-ts.mjs'), join(ROOT, 'test/helpers/migrate-then-die.ts'), path], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
    expect(child.signal, child.stderr).toBe('SIGKILL')
    const db = openWorkspace(path)
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(tables(db)).not.toContain('extra')
      migrate(db, [...MIGRATIONS, `CREATE TABLE extra (x INTEGER);`])
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1)
    } finally {
      db.close()
    }
  })
})
