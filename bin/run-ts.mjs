#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, tools) through tsx: `node bin/run-ts.mjs bench/import.ts --json`.
import { register } from 'tsx/esm/api'
import { pathToFileURL } from 'node:url'
import { resolve } from 'node:path'

const [script, ...rest] = process.argv.slice(2)
if (!script) {
  console.error('usage: node bin/run-ts.mjs <script.ts> [args…]')
  process.exit(2)
}
process.argv = [process.argv[0], resolve(script), ...rest]
register()
await import(pathToFileURL(resolve(script)).href)
