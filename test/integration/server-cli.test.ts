import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

let child: ChildProcess | null = null
let dir: string | null = null

afterEach(() => {
  child?.kill('SIGTERM')
  child = null
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Starts `clipcast serve` and resolves with what it printed once it is listening. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  dir = mkdtempSync(join(tmpdir(), 'clipcast-serve-cli-'))
  const { CLIPCAST_TOKEN: _inherited, ...parentEnv } = process.env
  child = spawn(process.execPath, ['bin/clipcast.mjs', 'serve', '--port', '0', '--db', join(dir, 'w.db'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...parentEnv, ...env } })
  let stdout = ''
  let stderr = ''
  return new Promise((resolve, reject) => {
    child!.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child!.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.includes('Open ')) resolve({ stdout, stderr })
    })
    child!.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
  })
}

describe('clipcast serve (CLI)', () => {
  it('listens on loopback by default, prints the URL with its token, and requires it (reliability 30)', async () => {
    const { stdout, stderr } = await serve(['--token', 'cli-token-12345'])
    expect(stderr).toMatch(/--token on the command line is visible/)
    const url = /serving (http:\/\/\S+)/.exec(stdout)?.[1]
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(stdout).toContain(`${url}/?token=cli-token-12345`)
    const refused = await fetch(`${url}/api/listRuns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })
    expect(refused.status).toBe(401)
    const allowed = await fetch(`${url}/api/listRuns`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-clipcast-token': 'cli-token-12345' }, body: '[]' })
    expect(await allowed.json()).toEqual({ value: [] })
  })

  it('takes the token from CLIPCAST_TOKEN, off the command line, without a warning', async () => {
    const { stdout, stderr } = await serve([], { CLIPCAST_TOKEN: 'env-token-123456' })
    expect(stdout).toMatch(/\?token=env-token-123456\n/)
    expect(stderr).not.toMatch(/visible/)
  })

  it('makes up a random token when none is given', async () => {
    const { stdout } = await serve([])
    expect(/\?token=([\w-]{20,})/.exec(stdout)?.[1]).toBeTruthy()
  })

  it('refuses a token that is too short', async () => {
    await expect(serve(['--token', 'short'])).rejects.toThrow(/BAD_REQUEST/)
  })
})
