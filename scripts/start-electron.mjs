#!/usr/bin/env node
// `npm start` (electron-vite preview) and `npm run dev` (electron-vite dev): first what would
// stop Electron before its window (a missing binary, Linux's sandbox), each with its fix, then
// better-sqlite3 for Electron's ABI, then electron-vite with the rest of the arguments.
import { spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronBinaryProblem, linuxSandboxFacts, linuxSandboxProblem } from './electron-checks.mjs'
import { prepareSqliteForElectron } from './prepare-electron.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const [mode = 'preview', ...args] = process.argv.slice(2)
const electronDir = join(root, 'node_modules', 'electron')
const problem = electronBinaryProblem(electronDir) ?? linuxSandboxProblem({ ...linuxSandboxFacts(electronDir), noSandbox: args.includes('--noSandbox') })
if (problem) {
  console.error(`Clipcast cannot start Electron: ${problem.problem}\nFix: ${problem.fix}`)
  process.exit(1)
}
try {
  prepareSqliteForElectron()
} catch (error) {
  console.error(error.message)
  process.exit(1)
}
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
process.exit(spawnSync(process.execPath, [electronVite, mode, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1)
