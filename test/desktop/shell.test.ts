import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { writeHourlyCsv } from '../helpers/datasets'
import { buildBundle, killDesktops, startDesktop, type DesktopApp } from './harness'

// What a desktop user expects of the shell, on the bundled main process with the stand-in.

interface WindowInfo { bounds: { x: number; y: number; width: number; height: number }; maximized: boolean; backgroundColor: string; progress: number[]; reloads: number }
interface MenuItem { label: string | null; role: string | null; accelerator: string | null; submenu: MenuItem[] | null }
interface State { windows: WindowInfo[]; menu: MenuItem[]; recentDocuments: string[]; notifications: Array<{ title: string; body: string }> }

const state = (app: DesktopApp) => app.command<State>('state')
const userFolder = () => mkdtempSync(join(tmpdir(), 'clipcast-shell-'))
async function quit(app: DesktopApp): Promise<void> {
  await app.command('quit')
  await app.exited
}
async function started(options: Parameters<typeof startDesktop>[0] = {}): Promise<DesktopApp> {
  const app = startDesktop(options)
  await app.ready
  return app
}
const csv = (folder: string, name: string): string => writeHourlyCsv(join(folder, name), 120)
const item = (menu: MenuItem[], ...path: string[]): MenuItem | undefined =>
  path.reduce<MenuItem | undefined>((found, label, i) => (i === 0 ? menu : found?.submenu ?? []).find((m) => m.label === label), undefined)

beforeAll(() => buildBundle(), 120_000)
afterEach(() => killDesktops())

describe('the desktop shell', () => {
  it('opens the window where it was left, and at the default place when that display is gone', async () => {
    const userData = userFolder()
    // no CLIPCAST_DB: the app uses (and remembers) the workspace in its userData
    const first = await started({ userData, env: { CLIPCAST_DB: undefined } })
    await first.command('setBounds', { bounds: { x: 140, y: 90, width: 1100, height: 700 }, maximized: true })
    await quit(first)
    const second = await started({ userData, env: { CLIPCAST_DB: undefined } })
    expect((await state(second)).windows[0]).toMatchObject({ bounds: { x: 140, y: 90, width: 1100, height: 700 }, maximized: true })
    await second.command('setBounds', { bounds: { x: 5000, y: 90, width: 1100, height: 700 } })
    await quit(second)
    const third = await started({ userData, env: { CLIPCAST_DB: undefined } })
    expect((await state(third)).windows[0]!.bounds).toMatchObject({ width: 1360, height: 880 })
    await quit(third)
  })

  it('creates, opens and reopens workspaces from the File menu, remembered as recent', async () => {
    const userData = userFolder()
    const app = await started({ userData })
    const first = (await app.value<{ workspace: string }>('getSystemInfo')).workspace
    const created = join(userData, 'projects', 'energy.db')
    mkdirSync(join(userData, 'projects'))
    await app.answer('save', created)
    await app.command('menu', { path: ['File', 'New Workspace…'] })
    expect((await app.value<{ workspace: string }>('getSystemInfo')).workspace).toBe(created)
    expect(await app.value('listDatasets')).toEqual([])
    let shown = await state(app)
    expect(shown.windows[0]!.reloads).toBe(1)
    expect(shown.recentDocuments).toContain(created)
    expect(item(shown.menu, 'File', 'Open Recent', basename(first))).toBeDefined()

    await app.command('menu', { path: ['File', 'Open Recent', basename(first)] })
    expect((await app.value<{ workspace: string }>('getSystemInfo')).workspace).toBe(first)
    await app.answer('open', created)
    await app.command('menu', { path: ['File', 'Open Workspace…'] })
    expect((await app.value<{ workspace: string }>('getSystemInfo')).workspace).toBe(created)
    await quit(app)

    // the next start opens the workspace used last
    const again = await started({ userData, env: { CLIPCAST_DB: undefined } })
    expect((await again.value<{ workspace: string }>('getSystemInfo')).workspace).toBe(created)
    shown = await state(again)
    expect(item(shown.menu, 'File', 'Open Recent')?.submenu?.map((m) => m.label)).toEqual(expect.arrayContaining(['energy.db', basename(first)]))
    await quit(again)
  })

  it('says so when a recent workspace is gone, and drops it instead of creating it empty', async () => {
    const userData = userFolder()
    const app = await started({ userData })
    const gone = join(userData, 'gone.db')
    await app.answer('save', gone)
    await app.command('menu', { path: ['File', 'New Workspace…'] })
    await app.command('menu', { path: ['File', 'Open Recent', 'clipcast.db'] })
    rmSync(gone)
    await app.command('menu', { path: ['File', 'Open Recent', 'gone.db'] })
    expect(existsSync(gone)).toBe(false)
    const shown = await state(app)
    expect(item(shown.menu, 'File', 'Open Recent', 'gone.db')).toBeUndefined()
    expect(app.events.some((e) => e.event === 'dialog:message' && String(e.payload.message).includes('gone'))).toBe(true)
    await quit(app)
  })

  it('asks before a workspace switch stops a training run, and keeps it running when told no', async () => {
    const userData = userFolder()
    const app = await started({ userData })
    const dataset = await app.value<{ id: number }>('importDataset', { path: (await app.value<{ path: string }>('openDroppedFile', csv(userData, 'load.csv'))).path })
    const { runId } = await app.value<{ runId: number }>('startRun', { datasetId: dataset.id, horizon: 2, lookback: 6, filters: 2, batch: 16, epochs: 500, backend: 'cpu', patience: 0 })
    await app.waitForApiEvent<{ runId: number }>('run:epoch', (p) => p.runId === runId)
    await app.answer('messageBox', 1)
    await app.answer('open', join(userData, 'other.db'))
    await app.command('menu', { path: ['File', 'Open Workspace…'] })
    expect((await app.value<{ status: string }>('getRun', runId)).status).toBe('running')
    await app.answer('messageBox', 0)
    await app.answer('open', join(userData, 'other.db'))
    await app.command('menu', { path: ['File', 'Open Workspace…'] })
    expect((await app.value<{ workspace: string }>('getSystemInfo')).workspace).toBe(join(userData, 'other.db'))
    await app.command('menu', { path: ['File', 'Open Recent', 'clipcast.db'] })
    expect((await app.value<{ status: string }>('getRun', runId)).status).toBe('stopped')
    await quit(app)
  })

  it('imports a dropped file by its path, and refuses what is not a CSV file (reliability 29)', async () => {
    const userData = userFolder()
    const app = await started({ userData })
    const issued = await app.value<{ path: string; name: string }>('openDroppedFile', csv(userData, 'dropped.csv'))
    expect(issued.name).toBe('dropped.csv')
    expect((await app.value<{ rows: number }>('importDataset', { path: issued.path })).rows).toBe(120)
    writeFileSync(join(userData, 'notes.pdf'), '%PDF')
    expect((await app.call('openDroppedFile', join(userData, 'notes.pdf'))).error?.code).toBe('BAD_REQUEST')
    mkdirSync(join(userData, 'folder.csv'))
    expect((await app.call('openDroppedFile', join(userData, 'folder.csv'))).error?.code).toBe('FILE_READ')
    // what the preload sends for a File the page made itself: no path at all
    expect((await app.call('openDroppedFile', '')).error?.code).toBe('BAD_REQUEST')
    expect((await app.call('openDroppedFile', 'dropped.csv')).error?.code).toBe('FILE_READ')
    await quit(app)
  })

  it('follows the system dark mode, shows training progress on the taskbar and notifies when a run ends unseen', async () => {
    const userData = userFolder()
    const app = await started({ userData, env: { CLIPCAST_STAND_IN_DARK: '1', CLIPCAST_NOTIFY_AFTER_MS: '0' } })
    expect((await state(app)).windows[0]!.backgroundColor).toBe('#151a23')
    await app.command('theme', { dark: false })
    expect((await state(app)).windows[0]!.backgroundColor).toBe('#f5f6f8')

    const dataset = await app.value<{ id: number }>('importDataset', { path: (await app.value<{ path: string }>('openDroppedFile', csv(userData, 'load.csv'))).path })
    await app.command('focus', { focused: false })
    const { runId } = await app.value<{ runId: number }>('startRun', { datasetId: dataset.id, horizon: 2, lookback: 6, filters: 2, batch: 16, epochs: 2, backend: 'cpu', patience: 0 })
    await app.waitForApiEvent<{ runId: number; status: string }>('run:status', (p) => p.runId === runId && p.status === 'completed')
    const shown = await state(app)
    const progress = shown.windows[0]!.progress
    expect(progress.at(-1)).toBe(-1)
    expect(progress.slice(0, -1).length).toBeGreaterThan(0)
    expect(progress.slice(0, -1).every((f) => f > 0 && f <= 1)).toBe(true)
    expect(shown.notifications).toEqual([{ title: `Run #${runId} completed`, body: expect.any(String) }])
    await quit(app)
  })

  it('offers the main actions in the menu with accelerators, and hands them to the page', async () => {
    const app = await started()
    const { menu } = await state(app)
    expect(item(menu, 'File', 'Import CSV…')?.accelerator).toBe('CmdOrCtrl+O')
    expect(item(menu, 'Run', 'Start Training')?.accelerator).toBe('CmdOrCtrl+Enter')
    expect(item(menu, 'View', 'Runs')?.accelerator).toBe('CmdOrCtrl+3')
    await app.command('menu', { path: ['View', 'Runs'] })
    expect(await app.waitForApiEvent('app:command')).toEqual({ command: 'view:runs' })
    await quit(app)
  })
})
