import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
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

/** The bundled resources folder (sample dataset, icons); CLIPCAST_RESOURCES overrides it in packaged builds. */
export function resourcesDir(): string {
  return process.env.CLIPCAST_RESOURCES ?? resolve(fileURLToPath(new URL('../../resources', import.meta.url)))
}

export const SAMPLE_DATASET_FILE = 'sample-seattle-weather-hourly.csv'

export function sampleDatasetPath(): string {
  return join(resourcesDir(), SAMPLE_DATASET_FILE)
}
