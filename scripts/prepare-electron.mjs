#!/usr/bin/env node
// Electron's main process runs its own Node ABI, and better-sqlite3 is a V8 addon (not
// N-API): the copy `npm install` built for plain Node (CLI, tests) cannot load there. This
// builds a second binary for the installed Electron, once, into out/native/, and the app
// hands it to better-sqlite3 as `nativeBinding` (CLIPCAST_SQLITE_BINDING). Run by
// scripts/start-electron.mjs before `npm start` / `npm run dev`; plain Node keeps its binary.
// Every tool runs as `node <script>` without a shell, so spaces in paths are safe everywhere.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** npm's own node-gyp (through npx it would re-read an npmrc nodedir), else one in node_modules. */
function nodeGypScript() {
  const npmNodeGyp = process.env.npm_execpath ? join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js') : ''
  if (npmNodeGyp && existsSync(npmNodeGyp)) return npmNodeGyp
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js')
  } catch {
    return null
  }
}

/** Builds better-sqlite3 for the installed Electron into out/native (once); returns the binary's path. */
export function prepareSqliteForElectron() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version
  // src/main/index.ts looks for the binary at this same place
  const target = join(root, 'out', 'native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node')
  if (existsSync(target)) return target
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`)
  const work = mkdtempSync(join(tmpdir(), 'clipcast-electron-sqlite-'))
  const copy = join(work, 'better-sqlite3')
  cpSync(join(root, 'node_modules', 'better-sqlite3'), copy, { recursive: true, filter: (path) => !/[/\\]better-sqlite3[/\\]build$/.test(path) })
  // a configured nodedir (this machine's npmrc has one) would point node-gyp at plain Node's headers
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'))
  const prebuildInstall = createRequire(join(root, 'node_modules', 'better-sqlite3', 'package.json')).resolve('prebuild-install/bin.js')
  const nodeGyp = nodeGypScript()
  const attempts = [
    // better-sqlite3 publishes Electron prebuilds; fall back to compiling against Electron's headers
    [prebuildInstall, '--runtime', 'electron', '--target', version, '--arch', process.arch],
    ...(nodeGyp ? [[nodeGyp, 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']] : []),
  ]
  const built = attempts.some((args) => spawnSync(process.execPath, args, { cwd: copy, stdio: 'inherit', env }).status === 0 && existsSync(join(copy, 'build', 'Release', 'better_sqlite3.node')))
  if (!built) {
    rmSync(work, { recursive: true, force: true })
    throw new Error(`Could not build better-sqlite3 for Electron ${version}; see the output above (a C++ toolchain or network access to electronjs.org is needed).`)
  }
  mkdirSync(dirname(target), { recursive: true })
  cpSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target)
  rmSync(work, { recursive: true, force: true })
  console.log(`better-sqlite3 for Electron ${version}: ${target}`)
  return target
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    prepareSqliteForElectron()
  } catch (error) {
    console.error(error.message)
    process.exit(1)
  }
}
