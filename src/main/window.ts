import { BrowserWindow, nativeTheme, screen, session, type WebContents } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { APP_ENTRY } from './app-url'
import { devServerUrl } from './renderer-protocol'
import type { WindowState } from './settings'
import { restorableBounds } from './window-state'

/** The CSP the renderer runs under (the built HTML carries the same one as a meta tag). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))

const MINIMUM = { width: 960, height: 600 }
// the page's own background in each scheme, so no white flash before it paints
const BACKGROUND = { light: '#f5f6f8', dark: '#151a23' }
const background = (): string => (nativeTheme.shouldUseDarkColors ? BACKGROUND.dark : BACKGROUND.light)

/**
 * The one window: isolated, sandboxed, no Node in the page, nowhere to navigate. It opens where
 * it was left (when that is still on a display) and follows the system's light or dark mode.
 */
export function createMainWindow(saved: WindowState | undefined, onState: (state: WindowState) => void): BrowserWindow {
  const bounds = restorableBounds(saved, screen.getAllDisplays().map((display) => display.workArea), MINIMUM)
  const window = new BrowserWindow({
    ...(bounds ? { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height } : { width: 1360, height: 880 }),
    minWidth: MINIMUM.width,
    minHeight: MINIMUM.height,
    show: false,
    title: 'Clipcast',
    // the taskbar icon on Linux (macOS and Windows take the installer's)
    ...(process.platform === 'linux' && process.env.CLIPCAST_RESOURCES ? { icon: join(process.env.CLIPCAST_RESOURCES, 'icon.png') } : {}),
    backgroundColor: background(),
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
  if (bounds?.maximized) window.maximize()
  window.once('ready-to-show', () => window.show())
  const followTheme = (): void => window.setBackgroundColor(background())
  nativeTheme.on('updated', followTheme)
  window.once('closed', () => nativeTheme.removeListener('updated', followTheme))
  trackState(window, onState)
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


/** Reports the window's normal bounds and maximized state after it moves or resizes (debounced) and when it closes. */
function trackState(window: BrowserWindow, onState: (state: WindowState) => void): void {
  let timer: NodeJS.Timeout | undefined
  const report = (): void => {
    clearTimeout(timer)
    if (!window.isDestroyed()) onState({ ...window.getNormalBounds(), maximized: window.isMaximized() })
  }
  const later = (): void => {
    clearTimeout(timer)
    timer = setTimeout(report, 500)
  }
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event as 'resize', later)
  window.on('close', report)
}
