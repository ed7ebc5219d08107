import { app, BrowserWindow } from 'electron'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiHandlers, PathGrants, removeFolder } from '../core/api-handlers'
import { type Db } from '../core/store/workspace'
import { nativeDialogs } from './dialogs'
import { broadcast, registerApi } from './ipc'
import { installMenu } from './menu'
import { openWorkspaceOrRestore } from './open-workspace'
import { createTrainingService, killComputeProcesses, tensorJobsInProcess } from './training'
import { registerAppScheme, serveRenderer } from './renderer-protocol'
import { CONTENT_SECURITY_POLICY, createMainWindow, hardenContents, hardenSession } from './window'

// the desktop shell: window lifecycle, security, IPC wiring, dialogs, menu; the work is in src/core

// a second instance would open the same workspace twice: hand over to the first and leave
if (!app.requestSingleInstanceLock()) app.exit(0)
registerAppScheme()
process.env.CLIPCAST_RESOURCES ??= join(app.getAppPath(), 'resources')
// unpackaged (npm start): better-sqlite3 built for Electron's ABI by scripts/prepare-electron.mjs,
// set before any compute process starts so they load the same binary; an installer's copy is
// rebuilt for Electron in place by electron-builder and loads as it is
if (!app.isPackaged) process.env.CLIPCAST_SQLITE_BINDING ??= join(app.getAppPath(), 'out', 'native', `electron-${process.versions.electron}-${process.platform}-${process.arch}`, 'better_sqlite3.node')

let db: Db | null = null
let scratch: string | null = null
let training: ReturnType<typeof createTrainingService> | undefined

app.on('web-contents-created', (_event, contents) => hardenContents(contents))
app.on('second-instance', () => {
  const window = BrowserWindow.getAllWindows()[0]
  if (window) {
    if (window.isMinimized()) window.restore()
    window.focus()
  }
})

app.whenReady().then(() => {
  hardenSession()
  serveRenderer(CONTENT_SECURITY_POLICY)
  installMenu()
  const workspacePath = process.env.CLIPCAST_DB ?? join(app.getPath('userData'), 'clipcast.db')
  db = openWorkspaceOrRestore(workspacePath)
  if (db === null) {
    app.exit(1)
    return
  }
  scratch = mkdtempSync(join(tmpdir(), 'clipcast-desktop-'))
  training = createTrainingService(workspacePath, broadcast)
  const api = createApiHandlers({
    db,
    workspacePath,
    host: 'electron',
    version: app.getVersion(),
    emit: broadcast,
    grants: new PathGrants(false),
    uploadDir: join(scratch, 'uploads'),
    dialogs: nativeDialogs(),
    training,
    runTensorJob: tensorJobsInProcess(workspacePath),
  })
  registerApi(api)
  createMainWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow()
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
  void (training?.close() ?? Promise.resolve()).finally(() => {
    killComputeProcesses()
    db?.close()
    if (scratch) removeFolder(scratch)
    app.quit()
  })
})
