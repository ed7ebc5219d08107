import { parse } from 'csv-parse/sync'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRunTable, loadRunTable } from '../../src/core/eval/run-table'
import { createRun, finishRun, insertEpoch, listEpochs, listRuns, setBest } from '../../src/core/store/runs'
import { openWorkspace } from '../../src/core/store/workspace'
import type { EpochRecord } from '../../src/shared/api'
import { RunConfigSchema } from '../../src/shared/run-config'
import { runCli } from '../helpers/cli'
import { insertDataset, sineSeries, tempDbPath } from '../helpers/datasets'

const owner = { pid: process.pid, token: 'table-test' }

function epoch(n: number, valLoss: number): EpochRecord {
  return { epoch: n, trainLoss: 1 / n + 1e-17 * n, valLoss, gradNorm: { mean: 0.1 * n, p50: 0.1, p95: 0.2 * n, max: 0.3 * n }, clippedFraction: 0.25, lr: 0.001, clipThreshold: 1, seconds: 0.5 }
}

const metrics = (mae: number) => ({ mae, rmse: mae * 1.5, smape: 12.5, mase: null, perHorizon: [], perTarget: {} })

/** Two finished runs: one with awkward target names (a formula, a comma and quotes), its best epoch not its last. */
function workspace(): string {
  const path = tempDbPath('clipcast-table-')
  const db = openWorkspace(path)
  const datasetId = insertDataset(db, { ...sineSeries(50), columns: { '=SUM(A1)': Array(50).fill(1), 'a,b "q"': Array(50).fill(2) } })
  const first = createRun(db, RunConfigSchema.parse({ datasetId, lr: 0.001, clipThreshold: 0.1, targets: ['=SUM(A1)', 'a,b "q"'] }), 'x', owner)
  ;[epoch(1, 0.5), epoch(2, 0.25), epoch(3, 0.375)].forEach((e) => insertEpoch(db, first, e))
  setBest(db, first, 2, 0.25)
  finishRun(db, first, 'completed', { metrics: metrics(0.123456789012345), baselines: { naive: metrics(0.2) } })
  const second = createRun(db, RunConfigSchema.parse({ datasetId, lr: 0.01, clipThreshold: 0.1 }), 'x', owner)
  insertEpoch(db, second, epoch(1, -0.0))
  finishRun(db, second, 'stopped')
  db.close()
  return path
}

describe('the run table', () => {
  it('marks only the columns whose runs differ as varying and summarises the best or the last epoch', () => {
    const path = workspace()
    const db = openWorkspace(path)
    const inputs = listRuns(db).map((run) => ({ run, epochs: listEpochs(db, run.id) }))
    db.close()
    const best = buildRunTable(inputs, 'best')
    const varying = best.columns.filter((c) => c.group === 'setting' && c.varying).map((c) => c.key)
    expect(varying.sort()).toEqual(['lr', 'targets'])
    const at = (table: typeof best, key: string) => table.rows.map((row) => row[table.columns.findIndex((c) => c.key === key)])
    // newest first: the stopped run, then the completed one (best epoch 2, last epoch 3)
    expect(at(best, 'summaryEpoch')).toEqual([1, 2])
    expect(at(best, 'valLoss')).toEqual([0, 0.25])
    expect(at(buildRunTable(inputs, 'last'), 'valLoss')).toEqual([0, 0.375])
    expect(at(best, 'test.mae')).toEqual([null, 0.123456789012345])
    expect(at(best, 'baseline.naive.mae')).toEqual([null, 0.2])
  })

  it('exports to CSV with clipcast runs --csv and reads back cell for cell, tags and notes too', () => {
    const path = workspace()
    // set from the command line: a note with a formula's first character, a comma, quotes and a line break
    expect(runCli(['tag', '1', 'baseline', 'clip study', '--db', path]).code).toBe(0)
    expect(runCli(['note', '1', '=too high, "see" run 2\nretry', '--db', path]).code).toBe(0)
    const csv = join(dirname(path), 'runs.csv')
    const result = runCli(['runs', '--db', path, '--csv', csv, '--summary', 'last', '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.json[0]).toMatchObject({ csv: { rows: 2 } })
    const text = readFileSync(csv, 'utf8')
    const [header, ...rows] = parse(text, { relaxQuotes: false }) as string[][]
    const db = openWorkspace(path)
    const table = loadRunTable(db, 'last')
    db.close()
    expect(header).toEqual(table.columns.map((c) => c.key))
    expect(new Set(header).size).toBe(header!.length)
    expect(rows).toHaveLength(2)
    rows.forEach((row, r) => {
      row.forEach((cell, c) => {
        const expected = table.rows[r]![c]
        if (expected === null) expect(cell).toBe('')
        // numbers at full precision; text that a spreadsheet would run as a formula carries a leading '
        else if (typeof expected === 'number') expect(Number(cell)).toBe(expected)
        else expect(cell.replace(/^'(?=[=+\-@\t\r])/, '')).toBe(expected)
      })
    })
    expect(rows[1]![header!.indexOf('targets')]).toBe('\'=SUM(A1) a,b "q"')
    expect(rows[1]![header!.indexOf('tags')]).toBe('baseline clip-study')
    expect(rows[1]![header!.indexOf('note')]).toBe('\'=too high, "see" run 2\nretry')
    expect(rows[0]![header!.indexOf('tags')]).toBe('')
    expect(text).toContain('"\'=SUM(A1) a,b ""q"""')
  })

  it('adds and removes tags and sets and clears the note with clipcast tag and clipcast note', () => {
    const path = workspace()
    expect(runCli(['tag', '2', 'a', 'b', '--db', path, '--json']).json[0]).toEqual({ labels: { runId: 2, tags: ['a', 'b'], note: '' } })
    expect(runCli(['tag', '2', 'c', '--remove', 'a', '--db', path, '--json']).json[0]).toEqual({ labels: { runId: 2, tags: ['b', 'c'], note: '' } })
    expect(runCli(['note', '2', 'two', 'words', '--db', path, '--json']).json[0]).toMatchObject({ labels: { note: 'two words' } })
    expect(runCli(['tag', '2', '--db', path, '--json']).json[0]).toEqual({ labels: { runId: 2, tags: ['b', 'c'], note: 'two words' } })
    expect(runCli(['note', '2', '--clear', '--db', path, '--json']).json[0]).toMatchObject({ labels: { note: '' } })
    const bad = runCli(['tag', '2', 'lr=1', '--db', path, '--json'])
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.stderr).error.code).toBe('BAD_TAG')
    expect(JSON.parse(runCli(['tag', '9', 'x', '--db', path, '--json']).stderr).error.code).toBe('RUN_NOT_FOUND')
  })

  it('refuses a summary other than best or last', () => {
    const result = runCli(['runs', '--db', workspace(), '--csv', '/tmp/never.csv', '--summary', 'mean', '--json'])
    expect(result.code).toBe(2)
    expect(JSON.parse(result.stderr).error.code).toBe('BAD_REQUEST')
  })
})
