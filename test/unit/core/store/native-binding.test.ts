import { afterEach, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { findBackup } from '../../../../src/core/store/backup'

const folder = () => mkdtempSync(join(tmpdir(), 'clipcast-native-'))

describe('a SQLite library that does not load', () => {
  afterEach(() => {
    delete process.env.CLIPCAST_SQLITE_BINDING
  })

  it('is NATIVE_MODULE_LOAD, not a corrupt workspace, and leaves an intact workspace untouched', () => {
    const dir = folder()
    const path = join(dir, 'ws.db')
    openWorkspace(path).close()
    const before = readFileSync(path)
    // a binary for another ABI fails in dlopen; a file that is not a shared object does too
    const bogus = join(dir, 'better_sqlite3.node')
    writeFileSync(bogus, 'not a shared object')
    for (const binding of [bogus, join(dir, 'missing', 'better_sqlite3.node')]) {
      process.env.CLIPCAST_SQLITE_BINDING = binding
      expect(() => openWorkspace(path)).toThrowError(expect.objectContaining({ code: 'NATIVE_MODULE_LOAD', details: expect.objectContaining({ binding }) }))
    }
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(findBackup(path)).toBeNull()
  })

  it('creates no workspace file when the library does not load', () => {
    const path = join(folder(), 'new.db')
    process.env.CLIPCAST_SQLITE_BINDING = join(folder(), 'better_sqlite3.node')
    expect(() => openWorkspace(path)).toThrowError(expect.objectContaining({ code: 'NATIVE_MODULE_LOAD' }))
    expect(existsSync(path)).toBe(false)
  })
})
