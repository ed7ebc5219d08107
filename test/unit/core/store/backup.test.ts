import { describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readdirSync, statSync, truncateSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { backupIfDue, backupPath, restoreBackup } from '../../../../src/core/store/backup'
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

  it('is named in the WORKSPACE_CORRUPT error of a truncated workspace, and restoring it opens the data again', () => {
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
})
