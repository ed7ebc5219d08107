#!/usr/bin/env node
// Electron's main process runs its own Node ABI, and better-sqlite3 is a V8 addon (not
// N-API): the copy `npm install` built for plain Node (CLI, tests) cannot load there. This
// builds a second binary for the installed Electron, once, into out/native/, and the app
// hands it to better-sqlite3 as `nativeBinding` (CLIPCAST_SQLITE_BINDING). Runs before
// `npm start` / `npm run dev`; plain Node keeps the original binary untouched.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const electronPackage = join(root, 'node_modules', 'electron', 'package.json')
if (!existsSync(electronPackage)) {
  console.error('Electron is not installed: run `npm install` first.')
  process.exit(1)
}
const version = JSON.parse(readFileSync(electronPackage, 'utf8')).version
// src/main/index.ts looks for the binary at this same place
const target = join(root, 'out', 'native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node')
if (existsSync(target)) process.exit(0)

console.log(`Building better-sqlite3 for Electron ${version} (once)…`)
const work = mkdtempSync(join(tmpdir(), 'clipcast-electron-sqlite-'))
const copy = join(work, 'better-sqlite3')
cpSync(join(root, 'node_modules', 'better-sqlite3'), copy, { recursive: true, filter: (path) => !/[/\\]better-sqlite3[/\\]build$/.test(path) })
// a configured nodedir (this machine's npmrc has one) would point node-gyp at plain Node's headers
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'))
// npm's own node-gyp, run directly: through npx it would re-read the npmrc's nodedir
const npmNodeGyp = process.env.npm_execpath ? join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js') : ''
const nodeGyp = existsSync(npmNodeGyp) ? [process.execPath, [npmNodeGyp]] : ['npx', ['--yes', 'node-gyp']]
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name)
const attempts = [
  // better-sqlite3 publishes Electron prebuilds; fall back to compiling against Electron's headers
  [bin('prebuild-install'), ['--runtime', 'electron', '--target', version, '--arch', process.arch]],
  [nodeGyp[0], [...nodeGyp[1], 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']],
]
let built = false
for (const [command, args] of attempts) {
  const result = spawnSync(command, args, { cwd: copy, stdio: 'inherit', env, shell: process.platform === 'win32' })
  if (result.status === 0 && existsSync(join(copy, 'build', 'Release', 'better_sqlite3.node'))) {
    built = true
    break
  }
}
if (!built) {
  rmSync(work, { recursive: true, force: true })
  console.error(`Could not build better-sqlite3 for Electron ${version}; see the output above (a C++ toolchain or network access to electronjs.org is needed).`)
  process.exit(1)
}
mkdirSync(dirname(target), { recursive: true })
cpSync(join(copy, 'build', 'Release', 'better_sqlite3.node'), target)
rmSync(work, { recursive: true, force: true })
console.log(`better-sqlite3 for Electron ${version}: ${target}`)
