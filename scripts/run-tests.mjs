#!/usr/bin/env node
// `npm test`: typecheck, lint, Vitest (unit + integration under plain Node) and Playwright (e2e),
// then one summary line `N passed, N failed` counted over every test and check.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const reports = mkdtempSync(join(tmpdir(), 'clipcast-tests-'))
let passed = 0
let failed = 0
let skipped = 0

function run(label, command, args) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env })
  return result.status === 0
}

function check(label, command, args) {
  if (run(label, command, args)) passed++
  else {
    failed++
    console.log(`✗ ${label} failed`)
  }
}

check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.node.json'])
if (existsSync('src/renderer/src/main.ts')) check('typecheck renderer', 'npx', ['vue-tsc', '--noEmit', '-p', 'tsconfig.web.json'])
check('lint', 'npx', ['eslint', '.'])

const vitestReport = join(reports, 'vitest.json')
const vitestOk = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`])
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests
  skipped += report.numPendingTests + (report.numTodoTests ?? 0)
  // a file that fails to load has no tests to count: count it as one failure
  failed += report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length
} else if (!vitestOk) failed++

const hasE2e = existsSync('playwright.config.ts') && existsSync('test/e2e') && readdirSync('test/e2e').some((f) => f.endsWith('.spec.ts'))
if (hasE2e) {
  const playwrightReport = join(reports, 'playwright.json')
  const ok = spawnSync('npx', ['playwright', 'test', '--reporter=list,json'], {
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
  }).status === 0
  if (existsSync(playwrightReport)) {
    const stats = JSON.parse(readFileSync(playwrightReport, 'utf8')).stats
    passed += stats.expected + (stats.flaky ?? 0)
    failed += stats.unexpected
    skipped += stats.skipped
    if (!ok && stats.unexpected === 0) failed++
  } else if (!ok) failed++
}

console.log(`\n${skipped} skipped (each with its reason above)`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
