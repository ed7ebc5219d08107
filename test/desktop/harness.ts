import { execFileSync, fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The built desktop app (out/main, out/preload, out/renderer) run under plain Node with the
 * `electron` stand-in: what a user runs, minus Electron's own binary. Calls go through the
 * real IPC handlers the way the preload sends them.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const REGISTER = join(ROOT, 'test', 'desktop', 'register.mjs')
const IPC_CALL_PREFIX = 'clipcast:call:'

/** better-sqlite3 as `npm install` built it for this Node (the stand-in main process runs on plain Node). */
export function nodeSqliteBinding(): string {
  const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json')
  return join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node')
}

let built = false
/** Builds the bundle once per test process (electron-vite, as `npm start` does). */
export function buildBundle(): void {
  if (built || process.env.CLIPCAST_DESKTOP_SKIP_BUILD === '1') return
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'pipe' })
  built = true
}

export interface HarnessEvent {
  event: string
  payload: { channel?: string; args?: unknown[]; [key: string]: unknown }
}

export interface DesktopApp {
  child: ChildProcess
  userData: string
  workspace: string
  events: HarnessEvent[]
  /** One Api method through its IPC channel, answered as the preload receives it ({ ok, value | error }). */
  call<T = unknown>(method: string, ...args: unknown[]): Promise<{ ok: boolean; value?: T; error?: { code: string; message: string } }>
  /** The same, throwing on an error result. */
  value<T = unknown>(method: string, ...args: unknown[]): Promise<T>
  command<T = unknown>(op: string, fields?: Record<string, unknown>): Promise<T>
  /** The next dialog of this kind answers with this path. */
  answer(kind: 'open' | 'save' | 'messageBox', value: string | number): Promise<void>
  /** Resolves with the first Api event (run:status, …) that satisfies `match`, seen before or after the call. */
  waitForApiEvent<T = Record<string, unknown>>(name: string, match?: (payload: T) => boolean, timeoutMs?: number): Promise<T>
  waitForEvent(match: (event: HarnessEvent) => boolean, timeoutMs?: number): Promise<HarnessEvent>
  /** Every later event, as it comes (webContents.send shows as `ipc`). */
  onEvent(listener: (event: HarnessEvent) => void): void
  /** The window has loaded its page: the IPC handlers are registered. */
  ready: Promise<unknown>
  exited: Promise<number | null>
  /** Ends the app and every process it started, at once (a test that failed midway leaves nothing running). */
  kill(): void
  stderr: () => string
}

const started = new Set<DesktopApp>()

function killQuietly(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

/** For afterAll/afterEach: every app this test file started, and their processes, ended. */
export function killDesktops(): void {
  for (const app of started) app.kill()
  started.clear()
}

export interface StartOptions {
  workspace?: string
  userData?: string
  env?: Record<string, string | undefined>
}

export function startDesktop(options: StartOptions = {}): DesktopApp {
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'clipcast-desktop-user-'))
  const workspace = options.workspace ?? join(userData, 'clipcast.db')
  const child = fork(join(ROOT, 'out', 'main', 'index.js'), [], {
    cwd: ROOT,
    execArgv: ['--import', REGISTER],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
    env: {
      ...process.env,
      CLIPCAST_DB: workspace,
      CLIPCAST_SQLITE_BINDING: nodeSqliteBinding(),
      CLIPCAST_STAND_IN_APP_PATH: ROOT,
      CLIPCAST_STAND_IN_USER_DATA: userData,
      ...options.env,
    },
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout!.resume()
  const events: HarnessEvent[] = []
  const waiters = new Set<() => void>()
  const subscribers: Array<(event: HarnessEvent) => void> = []
  const pending = new Map<number, (reply: { ok: boolean; value?: unknown; error?: string }) => void>()
  let nextId = 1
  child.on('message', (message: { id?: number; ok?: boolean; value?: unknown; error?: string } & Partial<HarnessEvent>) => {
    if (message.id !== undefined) {
      pending.get(message.id)?.(message as { ok: boolean })
      pending.delete(message.id)
    } else if (message.event) {
      events.push(message as HarnessEvent)
      waiters.forEach((wake) => wake())
      subscribers.forEach((listener) => listener(message as HarnessEvent))
    }
  })
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)))

  const command = <T>(op: string, fields: Record<string, unknown> = {}): Promise<T> =>
    new Promise((resolveCommand, rejectCommand) => {
      const id = nextId++
      pending.set(id, (reply) => (reply.ok ? resolveCommand(reply.value as T) : rejectCommand(new Error(reply.error))))
      child.send({ id, op, ...fields })
    })

  const waitForEvent = (match: (event: HarnessEvent) => boolean, timeoutMs = 120_000): Promise<HarnessEvent> =>
    new Promise((resolveEvent, rejectEvent) => {
      const check = (): boolean => {
        const found = events.find(match)
        if (!found) return false
        waiters.delete(wake)
        clearTimeout(timer)
        resolveEvent(found)
        return true
      }
      const wake = (): void => void check()
      const timer = setTimeout(() => {
        waiters.delete(wake)
        rejectEvent(new Error(`no matching desktop event within ${timeoutMs} ms; stderr:\n${stderr.slice(-2000)}`))
      }, timeoutMs)
      if (!check()) waiters.add(wake)
    })

  const call = <T>(method: string, ...args: unknown[]) =>
    command<{ ok: boolean; value?: T; error?: { code: string; message: string } }>('invoke', { channel: `${IPC_CALL_PREFIX}${method}`, args })

  const app: DesktopApp = {
    child,
    userData,
    workspace,
    events,
    call,
    async value<T>(method: string, ...args: unknown[]) {
      const result = await call<T>(method, ...args)
      if (!result.ok) throw new Error(`${method} failed: ${result.error?.code} ${result.error?.message}`)
      return result.value as T
    },
    command,
    answer: (kind, value) => command('answer', { kind, value }),
    async waitForApiEvent<T>(name: string, match: (payload: T) => boolean = () => true, timeoutMs?: number) {
      const found = await waitForEvent((e) => e.event === 'ipc' && e.payload.args?.[0] === name && match(e.payload.args[1] as T), timeoutMs)
      return found.payload.args![1] as T
    },
    waitForEvent,
    onEvent: (listener) => void subscribers.push(listener),
    ready: waitForEvent((e) => e.event === 'window:load', 60_000),
    exited,
    kill: () => {
      for (const e of events) if (e.event === 'utility:fork') killQuietly(e.payload.pid as number)
      killQuietly(child.pid)
    },
    stderr: () => stderr,
  }
  started.add(app)
  return app
}

/** True while a process with this pid exists. */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
