import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { backupIfDue, backupPath, listBackups, restoreBackup } from '../../../../src/core/store/backup'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { insertDataset, sineSeries } from '../../../helpers/datasets'

const tempPath = () => join(mkdtempSync(join(tmpdir(), 'clipcast-backup-')), 'ws.db')

/** A closed workspace holding one dataset of `rows` rows (several pages of values). */
function workspaceWithData(rows = 3000): string {
  const path = tempPath()
  const db = openWorkspace(path)
  insertDataset(db, sineSeries(rows, 3))
  db.close()
  return path
}

const datasetCount = (path: string) => {
  const db = openWorkspace(path)
  try {
    return (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n
  } finally {
    db.close()
  }
}

describe('automatic workspace backup', () => {
  it('is made when an existing workspace opens cleanly, not for a brand-new file, and at most once a day', () => {
    const path = workspaceWithData()
    expect(existsSync(backupPath(path))).toBe(false)
    expect(datasetCount(path)).toBe(1)
    expect(existsSync(backupPath(path))).toBe(true)
    expect(datasetCount(backupPath(path))).toBe(1)
    const db = openWorkspace(path)
    try {
      expect(backupIfDue(db, path)).toBe(false)
      const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000)
      utimesSync(backupPath(path), dayAgo, dayAgo)
      expect(backupIfDue(db, path)).toBe(true)
      expect(statSync(backupPath(path)).mtimeMs).toBeGreaterThan(dayAgo.getTime())
    } finally {
      db.close()
    }
    expect(readdirSync(join(path, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('is named in the WORKSPACE_CORRUPT error of a truncated workspace, and restoring it opens the data again (reliability 7)', () => {
    const path = workspaceWithData()
    datasetCount(path) // makes the backup
    truncateSync(path, Math.floor(statSync(path).size / 2))
    let error: unknown
    try {
      openWorkspace(path).close()
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'WORKSPACE_CORRUPT', details: { backup: backupPath(path) } })
    expect((error as { hint: string }).hint).toContain(backupPath(path))
    const { damaged } = restoreBackup(path)
    expect(existsSync(damaged)).toBe(true)
    expect(datasetCount(path)).toBe(1)
  })

  it('says there is no backup when there is none, and refuses to restore one', () => {
    const path = workspaceWithData()
    truncateSync(path, Math.floor(statSync(path).size / 2))
    expect(() => openWorkspace(path)).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT', details: { path, backup: null } }))
    expect(() => restoreBackup(path)).toThrow(expect.objectContaining({ code: 'WORKSPACE_NO_BACKUP' }))
    expect(existsSync(path)).toBe(true)
  })

  it('treats an emptied workspace as corrupt and keeps the good backup it would have replaced (reliability 7)', () => {
    const path = workspaceWithData()
    datasetCount(path) // makes the backup
    const before = readFileSync(backupPath(path))
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000)
    utimesSync(backupPath(path), dayAgo, dayAgo)
    truncateSync(path, 0)
    expect(() => openWorkspace(path)).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT', details: { path, backup: backupPath(path) } }))
    expect(() => openWorkspace(path, { readOnly: true })).toThrow(expect.objectContaining({ code: 'WORKSPACE_CORRUPT' }))
    expect(statSync(path).size).toBe(0)
    expect(readFileSync(backupPath(path)).equals(before)).toBe(true)
    restoreBackup(path)
    expect(datasetCount(path)).toBe(1)
  })

  it('keeps three generations, dropping the oldest', () => {
    const path = workspaceWithData()
    const db = openWorkspace(path)
    try {
      for (let day = 4; day >= 1; day--) {
        for (const { path: backup } of listBackups(path)) utimesSync(backup, new Date(Date.now() - day * 86_400_000), new Date(Date.now() - day * 86_400_000))
        expect(backupIfDue(db, path)).toBe(true)
      }
      expect(listBackups(path).map((b) => b.path)).toEqual([backupPath(path), backupPath(path, 1), backupPath(path, 2)])
      expect(existsSync(`${path}.backup.3`)).toBe(false)
    } finally {
      db.close()
    }
  })

  it('never replaces a backup with a copy that fails its check', () => {
    const path = workspaceWithData()
    datasetCount(path)
    const before = readFileSync(backupPath(path))
    // a database without the Clipcast schema (user_version 0) copies fine but is no workspace
    const stranger = new Database(join(path, '..', 'other.db'))
    stranger.exec('CREATE TABLE t (x)')
    try {
      expect(backupIfDue(stranger, path, Date.now() + 2 * 86_400_000)).toBe(false)
    } finally {
      stranger.close()
    }
    expect(readFileSync(backupPath(path)).equals(before)).toBe(true)
    expect(listBackups(path)).toHaveLength(1)
  })

  it('restores the newest backup that passes quick_check, skipping a damaged one (reliability 7)', () => {
    const path = workspaceWithData()
    const db = openWorkspace(path)
    try {
      const old = new Date(Date.now() - 2 * 86_400_000)
      utimesSync(backupPath(path), old, old)
      expect(backupIfDue(db, path)).toBe(true)
    } finally {
      db.close()
    }
    writeFileSync(backupPath(path), readFileSync(backupPath(path)).subarray(0, 5000))
    truncateSync(path, 0)
    expect(restoreBackup(path).restoredFrom).toBe(backupPath(path, 1))
    expect(datasetCount(path)).toBe(1)
  })

  it('refuses to restore while another connection holds the workspace, and changes nothing (reliability 7)', () => {
    const path = workspaceWithData()
    datasetCount(path)
    const holder = openWorkspace(path)
    try {
      const before = readFileSync(path)
      expect(() => restoreBackup(path)).toThrow(expect.objectContaining({ code: 'WORKSPACE_IN_USE' }))
      expect(readFileSync(path).equals(before)).toBe(true)
      expect(readdirSync(join(path, '..')).filter((f) => f.includes('damaged'))).toEqual([])
    } finally {
      holder.close()
    }
    expect(() => restoreBackup(path)).not.toThrow()
  })
})
