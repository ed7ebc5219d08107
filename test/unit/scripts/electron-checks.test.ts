import { describe, expect, it } from 'vitest'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { electronBinaryProblem, linuxSandboxProblem } from '../../../scripts/electron-checks.mjs'

describe('electronBinaryProblem', () => {
  const electronDir = () => mkdtempSync(join(tmpdir(), 'clipcast-electron-pkg-'))

  it('names a binary that was never downloaded, with the command that fetches it', () => {
    expect(electronBinaryProblem(electronDir())).toMatchObject({ problem: expect.stringMatching(/never downloaded/), fix: expect.stringMatching(/install\.js/) })
  })

  it('names a binary that path.txt points at but that is gone', () => {
    const dir = electronDir()
    writeFileSync(join(dir, 'path.txt'), 'electron')
    expect(electronBinaryProblem(dir)?.problem).toMatch(/missing at .*dist/)
  })

  it('is null when the binary is where path.txt says', () => {
    const dir = electronDir()
    writeFileSync(join(dir, 'path.txt'), 'electron')
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'electron'), '')
    expect(electronBinaryProblem(dir)).toBeNull()
  })
})

describe('linuxSandboxProblem', () => {
  const facts = { platform: 'linux', uid: 1000, sandbox: { uid: 1000, mode: 0o100755 }, usernsRestricted: true, sandboxPath: '/app/node_modules/electron/dist/chrome-sandbox' }

  it('explains the Ubuntu 24.04 abort: restricted user namespaces and a chrome-sandbox that is not setuid root', () => {
    const problem = linuxSandboxProblem(facts)
    expect(problem?.problem).toMatch(/user namespaces/)
    expect(problem?.fix).toContain('sudo chown root:root /app/node_modules/electron/dist/chrome-sandbox && sudo chmod 4755')
  })

  it('passes a root-owned 4755 helper, or a system that allows user namespaces', () => {
    expect(linuxSandboxProblem({ ...facts, sandbox: { uid: 0, mode: 0o104755 } })).toBeNull()
    expect(linuxSandboxProblem({ ...facts, usernsRestricted: false })).toBeNull()
  })

  it('explains that Electron will not run as root with its sandbox, unless --noSandbox is given', () => {
    expect(linuxSandboxProblem({ ...facts, uid: 0 })?.fix).toMatch(/--noSandbox/)
    expect(linuxSandboxProblem({ ...facts, uid: 0, noSandbox: true })).toBeNull()
  })

  it('says nothing on macOS and Windows', () => {
    expect(linuxSandboxProblem({ ...facts, platform: 'darwin' })).toBeNull()
    expect(linuxSandboxProblem({ ...facts, platform: 'win32' })).toBeNull()
  })
})
