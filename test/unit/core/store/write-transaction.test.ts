import { describe, expect, it } from 'vitest'
import { openWorkspace, writeTransaction, type Db } from '../../../../src/core/store/workspace'
import { tempDbPath } from '../../../helpers/datasets'
import { holdWriteLock } from '../../../helpers/write-lock'

function workspace(): { db: Db; path: string } {
  const path = tempDbPath('clipcast-busy-')
  const db = openWorkspace(path, { busyTimeoutMs: 20 })
  db.exec('CREATE TABLE probe (x INTEGER NOT NULL)')
  return { db, path }
}

const insertProbe = (db: Db, x: number | null) => () => db.prepare('INSERT INTO probe (x) VALUES (?)').run(x)

describe('writeTransaction', () => {
  it('waits out another writer past the busy timeout instead of failing (reliability 4)', async () => {
    const { db, path } = workspace()
    const holder = await holdWriteLock(path, 400)
    try {
      writeTransaction(db, insertProbe(db, 1))
      expect(db.prepare('SELECT x FROM probe').all()).toEqual([{ x: 1 }])
    } finally {
      holder.kill()
      db.close()
    }
  })

  it('gives up on a lock that is never released with WORKSPACE_BUSY, not a write failure', async () => {
    const { db, path } = workspace()
    const holder = await holdWriteLock(path, 5000)
    try {
      expect(() => writeTransaction(db, insertProbe(db, 1), [10, 10])).toThrow(expect.objectContaining({ code: 'WORKSPACE_BUSY', details: expect.objectContaining({ attempts: 3 }) }))
    } finally {
      holder.kill()
      db.close()
    }
  })

  it('reports a full disk as WORKSPACE_WRITE, with nothing committed (reliability 5)', () => {
    const { db } = workspace()
    db.exec('CREATE TABLE filler (y BLOB)')
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    const fillDisk = () => {
      insertProbe(db, 1)()
      db.prepare('INSERT INTO filler (y) VALUES (?)').run(Buffer.alloc(100_000))
    }
    expect(() => writeTransaction(db, fillDisk)).toThrow(expect.objectContaining({ code: 'WORKSPACE_WRITE', details: { code: 'SQLITE_FULL' } }))
    expect(db.prepare('SELECT count(*) AS n FROM probe').get()).toEqual({ n: 0 })
    db.close()
  })

  it('passes a constraint error through unchanged: it is a bug, not a disk problem', () => {
    const { db } = workspace()
    expect(() => writeTransaction(db, insertProbe(db, null))).toThrow(expect.objectContaining({ code: 'SQLITE_CONSTRAINT_NOTNULL' }))
    db.close()
  })
})
