import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { openWorkspace, SCHEMA_VERSION } from '../../../../src/core/store/workspace'

const tempPath = (name = 'ws.db') => join(mkdtempSync(join(tmpdir(), 'clipcast-ws-')), name)

describe('openWorkspace', () => {
  it('creates a migrated workspace with WAL, foreign keys and a busy timeout (reliability 4)', () => {
    const db = openWorkspace(tempPath())
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('creates the folder of a workspace that does not exist yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'clipcast-ws-')), 'fresh', 'Clipcast', 'clipcast.db')
    const db = openWorkspace(path)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    db.close()
  })

  it('refuses orphan rows and cascades deletes from a dataset to its runs (reliability 4)', () => {
    const db = openWorkspace(tempPath())
    expect(() => db.prepare(`INSERT INTO runs (dataset_id, config_json, status, seed, data_sha256, created_at) VALUES (99, '{}', 'queued', 1, 'x', 'now')`).run()).toThrow(/FOREIGN KEY/)
    db.prepare(`INSERT INTO datasets (id, name, source_name, source_sha256, imported_at, row_count, time_column, frequency, start_time, end_time, columns_json) VALUES (1, 'd', 'd.csv', 'h', 'now', 0, 't', 'daily', 'a', 'b', '[]')`).run()
    db.prepare(`INSERT INTO runs (dataset_id, config_json, status, seed, data_sha256, created_at) VALUES (1, '{}', 'queued', 1, 'x', 'now')`).run()
    db.prepare('DELETE FROM datasets WHERE id = 1').run()
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 })
    db.close()
  })

  it('refuses a workspace written by a newer version without writing to it (reliability 3)', () => {
    const path = tempPath()
    const raw = new Database(path)
    raw.exec('CREATE TABLE future (x INTEGER)')
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`)
    raw.close()
    const before = readFileSync(path)
    expect(() => openWorkspace(path)).toThrow(expect.objectContaining({ code: 'WORKSPACE_TOO_NEW' }))
    expect(() => openWorkspace(path, { readOnly: true })).toThrow(expect.objectContaining({ code: 'WORKSPACE_TOO_NEW' }))
    // byte for byte: not even the switch to WAL mode (a header write) happened
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(dirname(path))).toEqual(['ws.db'])
  })

  it('reports a file that is not a database as corrupt (reliability 7)', () => {
    const path = tempPath()
    writeFileSync(path, 'this is not sqlite, just some text that fills the header and more'.repeat(100))
    expect(() => openWorkspace(path)).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT' }))
  })
})
