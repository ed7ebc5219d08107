import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** What the desktop app remembers between starts, in userData/settings.json. */
export interface DesktopSettings {
  /** The workspace opened last (File ▸ Open or New Workspace). */
  workspace?: string
  recentWorkspaces: string[]
  window?: WindowState
}

export interface WindowState {
  x: number
  y: number
  width: number
  height: number
  maximized: boolean
}

export const MAX_RECENT = 8

export function settingsPath(userData: string): string {
  return join(userData, 'settings.json')
}

/** The stored settings; a missing or unreadable file gives the defaults (settings are a convenience, never a reason not to start). */
export function loadSettings(path: string): DesktopSettings {
  try {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<DesktopSettings>
    return {
      ...(typeof stored.workspace === 'string' ? { workspace: stored.workspace } : {}),
      recentWorkspaces: Array.isArray(stored.recentWorkspaces) ? stored.recentWorkspaces.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT) : [],
      ...(isWindowState(stored.window) ? { window: stored.window } : {}),
    }
  } catch {
    return { recentWorkspaces: [] }
  }
}

/** Written whole to a temporary file, then renamed: a crash mid-write leaves the previous settings. */
export function saveSettings(path: string, settings: DesktopSettings): void {
  mkdirSync(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify(settings, null, 2))
  renameSync(temp, path)
}

/** `path` first, without duplicates, at most MAX_RECENT. */
export function withRecent(recent: readonly string[], path: string): string[] {
  return [path, ...recent.filter((p) => p !== path)].slice(0, MAX_RECENT)
}

function isWindowState(value: unknown): value is WindowState {
  const state = value as WindowState | undefined
  return !!state && ['x', 'y', 'width', 'height'].every((key) => Number.isFinite(state[key as keyof WindowState])) && typeof state.maximized === 'boolean'
}
