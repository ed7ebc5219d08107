import { beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import yaml from 'js-yaml'
import { minimatch } from 'minimatch'
import { buildBundle, ROOT } from './harness'

// electron-builder cannot run here (it downloads Electron), so its configuration is checked
// against what the bundle really loads.

interface BuilderConfig {
  files: string[]
  asarUnpack: string[]
  electronFuses: Record<string, boolean>
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
  linux: { target: string[]; icon: string }
}
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig

function walk(folder: string): string[] {
  if (!existsSync(folder)) return []
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)]))
}

const packageDir = (name: string) => join(ROOT, 'node_modules', ...name.split('/'))
const isInstalled = (name: string) => existsSync(join(packageDir(name), 'package.json'))

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; optionalDependencies?: Record<string, string> }
// what an installer ships: the production dependencies, not Electron itself or the dev tools
const shipped = new Set(Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))

/** Every shipped package the bundle names (imports, and names handed to createRequire), with their dependencies. */
function packagesTheBundleLoads(): Set<string> {
  const code = walk(join(ROOT, 'out', 'main')).filter((f) => f.endsWith('.js')).map((f) => readFileSync(f, 'utf8')).join('\n')
  const named = [...code.matchAll(/["'`]((?:@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*)(?:\/[^"'`]*)?["'`]/g)].map((m) => m[1]!)
  const found = new Set<string>()
  const visit = (name: string): void => {
    if (found.has(name) || !isInstalled(name)) return
    found.add(name)
    const pkg = JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
    for (const dependency of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dependency)
  }
  new Set(named.filter((name) => shipped.has(name))).forEach(visit)
  return found
}

beforeAll(() => buildBundle(), 120_000)

describe('the installer configuration', () => {
  it('unpacks from the asar every native addon that the bundle loads', () => {
    const packages = packagesTheBundleLoads()
    expect(packages.has('better-sqlite3')).toBe(true)
    const addons = [...packages].flatMap((name) => walk(packageDir(name)).filter((file) => file.endsWith('.node'))).map((file) => relative(ROOT, file).split('\\').join('/'))
    expect(addons.length).toBeGreaterThan(0)
    const packed = addons.filter((file) => !config.asarUnpack.some((pattern) => minimatch(file, pattern)))
    expect(packed).toEqual([])
  })

  it('ships the bundle and the resources, and never the Node-ABI helper binaries of npm start', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/**', '!out/native/**']))
  })

  it('sets the fuses: no RunAsNode, asar integrity on, the app only from its asar', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true, enableNodeCliInspectArguments: false })
  })

  it('names the maintainer and homepage a deb package requires', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { author?: { email?: string }; homepage?: string }
    expect(pkg.author?.email).toMatch(/@/)
    expect(pkg.homepage).toMatch(/^https:/)
  })

  it('builds dmg and zip on macOS, nsis on Windows, AppImage and deb on Linux, with the app icon', () => {
    for (const platform of [config.mac, config.win, config.linux]) expect(existsSync(join(ROOT, platform.icon))).toBe(true)
    expect(config.mac.target).toEqual(['dmg', 'zip'])
    expect(config.win.target).toEqual(['nsis'])
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
  })
})
