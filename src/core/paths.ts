import { homedir } from 'node:os'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The folder Electron calls userData for an app named "Clipcast", so the CLI and the app share a workspace. */
export function userDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Clipcast')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Clipcast')
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Clipcast')
}

/** `CLIPCAST_DB` overrides the default workspace file. */
export function defaultWorkspacePath(): string {
  return process.env.CLIPCAST_DB ?? join(userDataDir(), 'clipcast.db')
}

/**
 * The resources folder (sample dataset, icons) beside the nearest package.json above this
 * module: the same for the sources and for the bundle, whose chunks sit at another depth.
 * CLIPCAST_RESOURCES overrides it (the desktop app sets it).
 */
export function resourcesDir(): string {
  if (process.env.CLIPCAST_RESOURCES) return process.env.CLIPCAST_RESOURCES
  let folder = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder)
  return join(folder, 'resources')
}

export const SAMPLE_DATASET_FILE = 'sample-seattle-weather-hourly.csv'

export function sampleDatasetPath(): string {
  return join(resourcesDir(), SAMPLE_DATASET_FILE)
}
