import { BrowserWindow, session, type WebContents } from 'electron'
import { fileURLToPath } from 'node:url'
import { APP_ENTRY, devServerUrl } from './renderer-protocol'

/** The CSP the renderer runs under (the built HTML carries the same one as a meta tag). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))

/** The one window: isolated, sandboxed, no Node in the page, nowhere to navigate. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Clipcast',
    backgroundColor: '#f5f6f8',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(devServerUrl()?.href ?? APP_ENTRY)
  return window
}

/** The page may only be the app: no new windows, no navigation, no webviews. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  // a file dropped outside the drop zone would otherwise navigate the window to it
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Session-wide: the CSP as a header too, and no permission (camera, notifications, …) is ever granted. */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}

