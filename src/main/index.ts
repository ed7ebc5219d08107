/// <reference types="electron-vite/node" />
import { app, BrowserWindow, dialog, Notification } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ApiEventName, ApiEvents, AppCommand } from '../shared/api'
import { PathGrants } from '../core/path-grants'
import { toErrorData } from '../shared/errors'
import { chooseWorkspace, confirmStopRuns, tell } from './dialogs'
import { DesktopWorkspace } from './desktop-workspace'
import { broadcast, registerApi } from './ipc'
import { installMenu } from './menu'
import { registerAppScheme, serveRenderer } from './renderer-protocol'
import { runFeedback } from './run-feedback'
import { loadSettings, saveSettings, settingsPath, withRecent, type DesktopSettings } from './settings'
import { killComputeProcesses } from './training'
import { CONTENT_SECURITY_POLICY, createMainWindow, hardenContents, hardenSession } from './window'

// the desktop shell: window lifecycle, security, IPC wiring, dialogs, menu; the work is in src/core

registerAppScheme()
process.env.CLIPCAST_RESOURCES ??= join(app.getAppPath(), 'resources')
// unpackaged (npm start): better-sqlite3 built for Electron's ABI by scripts/prepare-electron.mjs,
// set before any compute process starts so they load the same binary; an installer's copy is
// rebuilt for Electron in place by electron-builder and loads as it is, and no variable may
// point an installed app at another native binary
if (app.isPackaged) delete process.env.CLIPCAST_SQLITE_BINDING
else process.env.CLIPCAST_SQLITE_BINDING ??= join(app.getAppPath(), 'out', 'native', `electron-${process.versions.electron}-${process.platform}-${process.arch}`, 'better_sqlite3.node')
// Windows shows notifications only for an app with its id
if (process.platform === 'win32') app.setAppUserModelId('app.clipcast.workbench')

const settingsFile = settingsPath(app.getPath('userData'))
let settings: DesktopSettings = loadSettings(settingsFile)
const mainWindow = (): BrowserWindow | undefined => BrowserWindow.getAllWindows()[0]
// how long a run must have trained for its end to raise a notification (tests set a shorter time)
const NOTIFY_AFTER_MS = Number(process.env.CLIPCAST_NOTIFY_AFTER_MS ?? 20_000)

const feedback = runFeedback(
  {
    setProgress: (fraction) => mainWindow()?.setProgressBar(fraction ?? -1),
    notify: (title, body) => {
      if (Notification.isSupported()) new Notification({ title, body }).show()
    },
    isFocused: () => mainWindow()?.isFocused() ?? false,
  },
  NOTIFY_AFTER_MS,
)
const emit = <E extends ApiEventName>(name: E, payload: ApiEvents[E]): void => {
  feedback(name, payload)
  broadcast(name, payload)
}
const workspace = new DesktopWorkspace({ emit, version: app.getVersion(), grants: new PathGrants(false) })

function remember(change: Partial<DesktopSettings>): void {
  settings = { ...settings, ...change }
  try {
    saveSettings(settingsFile, settings)
  } catch {
    // settings are a convenience: a read-only profile folder must not stop the app
  }
}

function rememberWorkspace(path: string): void {
  app.addRecentDocument(path)
  remember({ workspace: path, recentWorkspaces: withRecent(settings.recentWorkspaces, path) })
  menu()
}

let switching = false
/**
 * File ▸ New / Open / Open Recent: switches in place (one switch at a time) and reloads the
 * page, which then reads the new workspace.
 */
async function switchWorkspace(path: string | null): Promise<void> {
  if (path === null || path === workspace.path || switching) return
  const running = workspace.activeRuns().length
  if (running > 0 && !confirmStopRuns(running)) return
  switching = true
  try {
    if (!(await workspace.open(path))) return
    rememberWorkspace(path)
    mainWindow()?.webContents.reload()
  } catch (error) {
    const data = toErrorData(error)
    tell('Clipcast could not open the workspace', data.message, data.hint)
  } finally {
    switching = false
  }
}

/** A recent workspace that is gone (moved, a drive unplugged) is said so and dropped, never recreated empty. */
async function openRecent(path: string): Promise<void> {
  if (existsSync(path)) return switchWorkspace(path)
  tell('That workspace is gone', `${path} no longer exists.`, 'It was moved or deleted, or its drive is not connected. It is removed from the recent list.')
  remember({ recentWorkspaces: settings.recentWorkspaces.filter((p) => p !== path) })
  menu()
}

function menu(): void {
  installMenu({
    recentWorkspaces: settings.recentWorkspaces,
    newWorkspace: () => chooseWorkspace('new').then(switchWorkspace),
    openWorkspace: () => chooseWorkspace('open').then(switchWorkspace),
    openRecent,
    clearRecent: () => {
      app.clearRecentDocuments()
      remember({ recentWorkspaces: [] })
      menu()
    },
    command: (command: AppCommand) => broadcast('app:command', { command }),
  })
}

// a second instance would open the same workspace twice: it hands over to the first and leaves
const firstInstance = app.requestSingleInstanceLock()
if (firstInstance) start()
else app.exit(0)

/** The app, once this is the only instance. */
function start(): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents))
  app.on('second-instance', () => {
    const window = mainWindow()
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })

  void app.whenReady().then(async () => {
    hardenSession()
    serveRenderer(CONTENT_SECURITY_POLICY)
    const last = settings.workspace && existsSync(settings.workspace) ? settings.workspace : null
    const path = process.env.CLIPCAST_DB ?? last ?? join(app.getPath('userData'), 'clipcast.db')
    const opened = await workspace.open(path).catch((error: unknown) => {
      const data = toErrorData(error)
      dialog.showErrorBox('Clipcast cannot open its workspace', `${data.message}\n\n${data.hint ?? ''}`)
      return false
    })
    if (!opened) {
      app.exit(1)
      return
    }
    rememberWorkspace(path)
    registerApi(() => workspace.api)
    const open = (): BrowserWindow => createMainWindow(settings.window, (state) => remember({ window: state }))
    open()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  // stop running trainings cleanly (a consistent `stopped` run) before the process ends
  let closing = false
  app.on('before-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    void workspace
      .close()
      .catch(() => undefined)
      .finally(() => {
        killComputeProcesses()
        app.quit()
      })
  })
}
