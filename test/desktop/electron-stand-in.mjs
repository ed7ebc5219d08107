// A stand-in for the `electron` module, so the bundled main process (out/main) runs under plain
// Node. It implements what the shell uses, records what the shell did (windows, menu, dialogs,
// progress bar, notifications) and takes the test harness's commands (stand-in-commands.mjs).
// utilityProcess runs over child_process.fork.
import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'
import { answerHarness } from './stand-in-commands.mjs'

const appPath = process.env.CLIPCAST_STAND_IN_APP_PATH ?? process.cwd()
const userData = process.env.CLIPCAST_STAND_IN_USER_DATA ?? join(appPath, '.stand-in-user-data')
const packageJson = JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8'))

/** What the shell did, for the harness to assert on. */
const record = {
  windows: [],
  menu: null,
  errorBoxes: [],
  messageBoxes: [],
  notifications: [],
  recentDocuments: [],
  privilegedSchemes: [],
  protocols: [],
  headersHandler: false,
  utilityProcesses: [],
  relaunched: false,
}
const answers = { open: [], save: [], messageBox: [] }
const ipcHandlers = new Map()
const protocolHandlers = new Map()
/** Session hooks the shell installs: the header rewriter and the permission answer. */
const hooks = { headers: null, permission: null }

const notify = (message) => process.send?.(message)
const toHarness = (event, payload) => notify({ event, payload })

// ---- app
class App extends EventEmitter {
  isPackaged = false
  #ready = false
  commandLine = { appendSwitch() {}, hasSwitch: () => false }
  requestSingleInstanceLock() { return true }
  whenReady() {
    return new Promise((resolve) => setImmediate(() => {
      if (!this.#ready) {
        this.#ready = true
        this.emit('ready')
      }
      resolve()
    }))
  }
  isReady() { return this.#ready }
  getAppPath() { return appPath }
  getPath(name) { return name === 'userData' ? userData : join(userData, name) }
  getName() { return packageJson.productName ?? packageJson.name }
  getVersion() { return packageJson.version }
  addRecentDocument(path) { record.recentDocuments.push(path) }
  clearRecentDocuments() { record.recentDocuments = [] }
  setAppUserModelId() {}
  relaunch() { record.relaunched = true }
  exit(code = 0) {
    // after the harness has every message sent before this one
    if (process.send) process.send({ event: 'app:exit', payload: { code } }, () => process.exit(code))
    else process.exit(code)
  }
  quit() {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    // as Electron does: every window is asked to close (its 'close' listeners run), then the app quits
    for (const window of BrowserWindow.getAllWindows()) window.close()
    this.emit('will-quit', { preventDefault() {} })
    this.emit('quit')
    this.exit(0)
  }
}
export const app = new App()

// ---- windows
const windows = []
let nextId = 1
class WebContents extends EventEmitter {
  constructor(window) {
    super()
    this.id = window.id
    this.window = window
    this.url = ''
    this.openHandler = null
  }
  send(channel, ...args) { toHarness('ipc', { channel, args }) }
  setWindowOpenHandler(handler) { this.openHandler = handler }
  getURL() { return this.url }
  isDestroyed() { return this.window.destroyed }
  reload() { this.window.reloads++; toHarness('window:reload', { id: this.id }) }
  openDevTools() {}
}

export class BrowserWindow extends EventEmitter {
  static getAllWindows() { return windows.filter((w) => !w.destroyed) }
  static getFocusedWindow() { return windows.find((w) => !w.destroyed && w.focused) ?? null }
  static fromWebContents(contents) { return contents?.window ?? null }

  constructor(options = {}) {
    super()
    this.id = nextId++
    this.options = options
    this.destroyed = false
    this.focused = true
    this.visible = false
    this.maximized = false
    this.reloads = 0
    this.progress = []
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 }
    this.backgroundColor = options.backgroundColor ?? null
    this.webContents = new WebContents(this)
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  async loadURL(url) {
    this.webContents.url = url
    toHarness('window:load', { id: this.id, url })
    setImmediate(() => {
      this.webContents.emit('did-finish-load')
      this.emit('ready-to-show')
    })
  }
  async loadFile(path) { return this.loadURL(`file://${path}`) }
  show() { this.visible = true }
  hide() { this.visible = false }
  isVisible() { return this.visible }
  isDestroyed() { return this.destroyed }
  isMinimized() { return false }
  isMaximized() { return this.maximized }
  maximize() { this.maximized = true }
  restore() {}
  focus() { this.focused = true; this.emit('focus') }
  blur() { this.focused = false; this.emit('blur') }
  isFocused() { return this.focused }
  getBounds() { return { ...this.bounds } }
  getNormalBounds() { return { ...this.bounds } }
  setBounds(bounds) { this.bounds = { ...this.bounds, ...bounds }; this.emit('resize'); this.emit('move') }
  setProgressBar(value) { this.progress.push(value) }
  setBackgroundColor(color) { this.backgroundColor = color }
  setTitle(title) { this.options.title = title }
  flashFrame() {}
  close() {
    const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true } }
    this.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.emit('closed')
    if (BrowserWindow.getAllWindows().length === 0) app.emit('window-all-closed')
  }
}

// ---- IPC
export const ipcMain = {
  handle(channel, handler) {
    if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    ipcHandlers.set(channel, handler)
  },
  removeHandler(channel) { ipcHandlers.delete(channel) },
  on() {},
  removeAllListeners() {},
}

// ---- dialogs
const withoutWindow = (args) => (args[0] instanceof BrowserWindow ? args[1] : args[0])
export const dialog = {
  async showOpenDialog(...args) {
    const options = withoutWindow(args)
    const answer = answers.open.shift()
    toHarness('dialog:open', { title: options?.title })
    return answer ? { canceled: false, filePaths: [answer] } : { canceled: true, filePaths: [] }
  },
  async showSaveDialog(...args) {
    const options = withoutWindow(args)
    const answer = answers.save.shift()
    toHarness('dialog:save', { title: options?.title, defaultPath: options?.defaultPath })
    return answer ? { canceled: false, filePath: answer } : { canceled: true, filePath: undefined }
  },
  showMessageBoxSync(...args) {
    const options = withoutWindow(args)
    record.messageBoxes.push({ message: options.message, detail: options.detail, buttons: options.buttons })
    toHarness('dialog:message', { message: options.message, buttons: options.buttons })
    return answers.messageBox.shift() ?? options.cancelId ?? 0
  },
  async showMessageBox(...args) {
    return { response: dialog.showMessageBoxSync(...args), checkboxChecked: false }
  },
  showErrorBox(title, content) {
    record.errorBoxes.push({ title, content })
    toHarness('dialog:error', { title, content })
  },
}

// ---- menu
export class Menu {
  static buildFromTemplate(template) { return new Menu(template) }
  static setApplicationMenu(menu) { record.menu = menu }
  static getApplicationMenu() { return record.menu }
  constructor(template) { this.template = template }
}
// ---- session, protocol, theme, notifications, shell, screen
export const session = {
  defaultSession: {
    setPermissionRequestHandler(handler) {
      hooks.permission = handler
    },
    setPermissionCheckHandler() {},
    webRequest: {
      onHeadersReceived(listener) {
        hooks.headers = listener
        record.headersHandler = true
      },
    },
  },
}
export const protocol = {
  registerSchemesAsPrivileged(schemes) { record.privilegedSchemes.push(...schemes) },
  handle(scheme, handler) {
    protocolHandlers.set(scheme, handler)
    record.protocols.push(scheme)
  },
  isProtocolHandled(scheme) { return protocolHandlers.has(scheme) },
}
export const net = { fetch: (...args) => globalThis.fetch(...args) }

class NativeTheme extends EventEmitter {
  shouldUseDarkColors = process.env.CLIPCAST_STAND_IN_DARK === '1'
  themeSource = 'system'
}
export const nativeTheme = new NativeTheme()

export class Notification extends EventEmitter {
  static isSupported() { return true }
  constructor(options) {
    super()
    this.options = options
  }
  show() {
    record.notifications.push({ title: this.options.title, body: this.options.body })
    toHarness('notification', { title: this.options.title, body: this.options.body })
  }
}
export const shell = { openExternal: async () => {}, showItemInFolder() {}, openPath: async () => '' }
const display = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 }
export const screen = {
  getAllDisplays: () => [display],
  getPrimaryDisplay: () => display,
  getDisplayMatching: () => display,
}

// ---- utility processes over child_process.fork
const parentPortShim = new URL('./parent-port.mjs', import.meta.url).pathname
class UtilityProcess extends EventEmitter {
  constructor(modulePath, args, options) {
    super()
    this.child = fork(modulePath, args ?? [], {
      env: options?.env ?? process.env,
      execArgv: ['--import', parentPortShim],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.pid = this.child.pid
    record.utilityProcesses.push({ pid: this.pid, serviceName: options?.serviceName ?? null, modulePath })
    toHarness('utility:fork', { pid: this.pid })
    this.child.on('spawn', () => this.emit('spawn'))
    this.child.on('message', (message) => this.emit('message', message))
    // Electron reports the waitpid status: a signal shows as 128 + its number here
    this.child.on('exit', (code, signal) => {
      this.pid = undefined
      this.emit('exit', code ?? 128 + (constants.signals[signal] ?? 0))
    })
  }
  postMessage(message) {
    if (this.child.connected) this.child.send(message)
  }
  kill() { return this.child.kill('SIGTERM') }
}
export const utilityProcess = { fork: (modulePath, args, options) => new UtilityProcess(modulePath, args, options) }

// preload-only modules: present so an accidental import in main fails loudly in the test, not silently
export const contextBridge = { exposeInMainWorld() { throw new Error('contextBridge is preload-only') } }
export const ipcRenderer = { invoke() { throw new Error('ipcRenderer is preload-only') } }
export const webUtils = { getPathForFile: () => '' }

answerHarness({ app, BrowserWindow, nativeTheme, record, answers, ipcHandlers, protocolHandlers, hooks, windows, notify })
