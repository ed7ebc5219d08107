import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const CLI = fileURLToPath(new URL('../../bin/clipcast.mjs', import.meta.url))
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Runs the CLI to completion; stdout lines that are JSON are parsed. */
export function runCli(args: string[], options: { timeoutMs?: number } = {}): { code: number | null; stdout: string; stderr: string; json: Array<Record<string, unknown>> } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, env: { ...process.env, CLIPCAST_DB: '' } })
  const json = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, json }
}

/** A CLI process in the background, with its NDJSON stdout lines collected as they arrive. */
export interface LiveCli {
  child: ChildProcess
  lines: Array<Record<string, unknown>>
  stderr: () => string
  /** Resolves when a JSON line satisfies `match` (rejects when the process exits first). */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function startCli(args: string[]): LiveCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: Array<Record<string, unknown>> = []
  let buffer = ''
  let err = ''
  const waiters = new Set<() => void>()
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8')
    let newline: number
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline)
      buffer = buffer.slice(newline + 1)
      if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>)
    }
    waiters.forEach((w) => w())
  })
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  let hasExited = false
  void exited.then(() => {
    hasExited = true
    waiters.forEach((w) => w())
  })
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for a line; stderr: ${err}`))
        }, timeoutMs)
        const check = () => {
          const found = lines.find(match)
          if (found) {
            clearTimeout(timer)
            waiters.delete(check)
            resolve(found)
          } else if (hasExited) {
            clearTimeout(timer)
            waiters.delete(check)
            reject(new Error(`the process exited first; stderr: ${err}`))
          }
        }
        waiters.add(check)
        check()
      })
    },
  }
}
