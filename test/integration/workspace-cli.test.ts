import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { SCHEMA_VERSION } from '../../src/core/store/workspace'
import { runCli } from '../helpers/cli'

const tempDir = () => mkdtempSync(join(tmpdir(), 'clipcast-ws-cli-'))
const lastError = (stderr: string) => (JSON.parse(stderr.trim().split('\n').at(-1)!) as { error: { code: string; message: string; hint: string | null } }).error

describe('the CLI on a workspace it cannot use', () => {
  it('refuses a workspace of a newer Clipcast with WORKSPACE_TOO_NEW, a hint, and nothing written (reliability 3)', () => {
    const dir = tempDir()
    const path = join(dir, 'newer.db')
    const raw = new Database(path)
    raw.exec('CREATE TABLE future (x INTEGER)')
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    const before = readFileSync(path)
    const json = runCli(['datasets', '--db', path, '--json'])
    expect(json.code).toBe(2)
    expect(lastError(json.stderr)).toMatchObject({ code: 'WORKSPACE_TOO_NEW', hint: expect.stringMatching(/\S/) })
    const text = runCli(['import', '--sample', '--db', path])
    expect(text.code).toBe(2)
    expect(text.stderr).toMatch(/^error WORKSPACE_TOO_NEW: .*newer\.db.*\nhint: \S/)
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(['newer.db'])
  })

  it('names the automatic backup in WORKSPACE_CORRUPT for a truncated workspace, and clipcast restore brings the data back (reliability 7)', () => {
    const dir = tempDir()
    const path = join(dir, 'ws.db')
    expect(runCli(['import', '--sample', '--db', path, '--json']).code).toBe(0)
    expect(runCli(['datasets', '--db', path, '--json']).code).toBe(0) // a second open makes the backup
    expect(runCli(['restore', '--db', path, '--json'])).toMatchObject({ code: 2 }) // a healthy workspace is not replaced
    truncateSync(path, Math.floor(statSync(path).size / 3))
    const broken = runCli(['datasets', '--db', path, '--json'])
    expect(broken.code).toBe(2)
    expect(lastError(broken.stderr)).toMatchObject({ code: 'WORKSPACE_CORRUPT', hint: expect.stringContaining(`${path}.backup`) })
    const restored = runCli(['restore', '--db', path, '--json'])
    expect(restored.code, restored.stderr).toBe(0)
    expect(restored.json[0]).toMatchObject({ restored: { path, from: `${path}.backup` } })
    const listed = runCli(['datasets', '--db', path, '--json'])
    expect(listed.json[0]).toMatchObject({ datasets: [{ name: 'sample-seattle-weather-hourly' }] })
  })
})
