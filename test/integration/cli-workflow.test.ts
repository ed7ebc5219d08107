import { beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'csv-parse/sync'
import { readColumn, readTimes } from '../../src/core/store/datasets'
import { openWorkspace } from '../../src/core/store/workspace'
import type { Comparison, Forecast, Metrics, RunSummary } from '../../src/shared/api'

/**
 * The analyst's whole path through the real CLI, against one temp workspace: import → two
 * runs differing only in clipping → compare → forecast → export both kinds → re-import.
 */
const ROOT = resolve(__dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'clipcast-cli-'))
const db = join(dir, 'ws.db')
const TRAIN = ['--epochs', '2', '--filters', '4', '--lookback', '24', '--horizon', '6', '--backend', 'cpu']

function clipcast(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/clipcast.mjs'), ...args, '--db', db], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

function json<T>(...args: string[]): T {
  const result = clipcast(...args, '--json')
  if (result.status !== 0) throw new Error(`clipcast ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  const lines = result.stdout.trim().split('\n')
  return JSON.parse(lines[lines.length - 1]!) as T
}

function readDataset(id: number, columns: string[]): { times: string[]; values: Record<string, number[]> } {
  const handle = openWorkspace(db)
  try {
    return {
      times: Array.from(readTimes(handle, id), (t) => new Date(t).toISOString()),
      values: Object.fromEntries(columns.map((name) => [name, Array.from(readColumn(handle, id, name))])),
    }
  } finally {
    handle.close()
  }
}

const meanAbsoluteDifference = (rows: Array<Record<string, string>>, targets: string[]) => {
  const errors = rows.flatMap((r) => targets.map((t) => Math.abs(Number(r[t]) - Number(r[`${t}_pred`]))))
  return errors.reduce((a, b) => a + b, 0) / errors.length
}

const TARGETS = ['pressure', 'temperature', 'wind']
let datasetId: number
let runs: Array<RunSummary & { metrics: Metrics }>

beforeAll(() => {
  // 400 hourly rows of the bundled sample: big enough for lookback 24 + horizon 6 splits, fast on cpu
  const lines = readFileSync(join(ROOT, 'resources/sample-seattle-weather-hourly.csv'), 'utf8').split('\n')
  writeFileSync(join(dir, 'weather.csv'), lines.slice(0, 401).join('\n') + '\n')
  datasetId = json<{ dataset: { id: number } }>('import', join(dir, 'weather.csv')).dataset.id
  runs = [
    json<{ run: RunSummary & { metrics: Metrics } }>('train', String(datasetId), ...TRAIN, '--clip', 'none').run,
    json<{ run: RunSummary & { metrics: Metrics } }>('train', String(datasetId), ...TRAIN, '--clip', 'norm', '--clip-threshold', '0.05').run,
  ]
}, 300_000)

describe('clipcast workflow', () => {
  it('trains two runs whose done events carry test metrics and every baseline', () => {
    for (const run of runs) {
      expect(run.status).toBe('completed')
      expect(run.metrics.perHorizon).toHaveLength(6)
      expect(Object.keys(run.metrics.perTarget)).toEqual(TARGETS)
      expect(Object.keys(run.baselines!).sort()).toEqual(['drift', 'linear', 'naive', 'seasonalNaive'])
      // the contract's shape: {mae, rmse, smape, mase, perHorizon: [{step, mae, rmse}], perTarget: {name: {mae, rmse}}}
      for (const metrics of [run.metrics, ...Object.values(run.baselines!)]) {
        expect(metrics).toMatchObject({ mae: expect.any(Number), rmse: expect.any(Number), smape: expect.any(Number), mase: expect.any(Number) })
        expect(metrics.perHorizon.map((h) => h.step)).toEqual([1, 2, 3, 4, 5, 6])
        for (const h of metrics.perHorizon) expect(h).toMatchObject({ mae: expect.any(Number), rmse: expect.any(Number) })
        for (const name of TARGETS) expect(metrics.perTarget[name]).toMatchObject({ mae: expect.any(Number), rmse: expect.any(Number) })
      }
    }
  })

  it('compares the two runs: only the clipping differs, and it shows in the clipping statistics', () => {
    const c = json<Comparison>('compare', String(runs[0]!.id), String(runs[1]!.id))
    expect(Object.keys(c.differences).sort()).toEqual(['clip', 'clipThreshold'])
    expect(c.metrics['clip.threshold']).toEqual([null, 0.05])
    expect(c.metrics['clip.fractionClipped']![0]).toBe(0)
    expect(c.metrics['clip.fractionClipped']![1]).toBeGreaterThan(0)
    expect(c.metrics['test.mae']).toEqual(runs.map((r) => r.metrics.mae))
    expect(c.perHorizon['test.mae']!.map((steps) => steps.length)).toEqual([6, 6])
    expect(c.notes).toEqual([])
    const table = clipcast('compare', String(runs[0]!.id), String(runs[1]!.id))
    expect(table.status).toBe(0)
    expect(table.stdout).toMatch(/fraction clipped/)
    expect(table.stdout).toMatch(/Per-horizon MAE/)
  })

  it('refuses to compare a single run with COMPARE_TOO_FEW and exit code 2', () => {
    const result = clipcast('compare', String(runs[0]!.id), '--json')
    expect(result.status).toBe(2)
    expect(JSON.parse(result.stderr.trim().split('\n').pop()!).error.code).toBe('COMPARE_TOO_FEW')
  })

  it('forecasts, exports the forecast, and a re-import gives the stored numbers back', () => {
    const { forecast } = json<{ forecast: Forecast }>('forecast', String(runs[0]!.id))
    const source = readDataset(datasetId, [])
    const last = Date.parse(source.times[source.times.length - 1]!)
    expect(forecast.time).toEqual(Array.from({ length: 6 }, (_, s) => new Date(last + (s + 1) * 3_600_000).toISOString()))
    const out = join(dir, 'forecast.csv')
    expect(json<{ rows: number }>('export', String(runs[0]!.id), '--out', out).rows).toBe(6)
    const reimported = json<{ dataset: { id: number; rows: number } }>('import', out).dataset
    const back = readDataset(reimported.id, TARGETS)
    expect(back.times).toEqual(forecast.time)
    for (const target of TARGETS) expect(back.values[target]).toEqual(forecast.values[target])
  })

  it('exports the test part of both runs with the stored MAE as the mean absolute difference of the pairs', () => {
    for (const run of runs) {
      const out = join(dir, `test-${run.id}.csv`)
      json('export', String(run.id), '--what', 'test', '--out', out)
      const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>
      const bounds = (t: string) => (run.metrics.intervals?.levels ?? []).flatMap((level) => [`${t}_lo${level}`, `${t}_hi${level}`])
      expect(run.metrics.intervals?.levels).toEqual([80, 95])
      expect(Object.keys(rows[0]!)).toEqual(['origin', 'time', 'step', ...TARGETS.flatMap((t) => [t, `${t}_pred`, ...bounds(t)])])
      expect(meanAbsoluteDifference(rows, TARGETS)).toBeCloseTo(run.metrics.mae, 12)
      for (const target of TARGETS) expect(meanAbsoluteDifference(rows, [target])).toBeCloseTo(run.metrics.perTarget[target]!.mae, 12)
    }
  })

  it('backtests a run in rolling-origin folds and stores the result', () => {
    const result = json<{ id: number; folds: Array<{ fold: number; metrics: Metrics | null }>; mean: { mae: number } }>('backtest', String(runs[0]!.id), '--folds', '2', '--epochs', '1')
    expect(result.id).toBeGreaterThan(0)
    expect(result.folds.map((f) => f.fold)).toEqual([1, 2])
    expect(result.mean.mae).toBeCloseTo((result.folds[0]!.metrics!.mae + result.folds[1]!.metrics!.mae) / 2, 12)
  })

  it('re-imports a test export: actuals come back as the source values, predictions as the first row of each time', () => {
    const out = join(dir, `test-${runs[0]!.id}.csv`)
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>
    const reimported = json<{ dataset: { id: number } }>('import', out, '--time-column', 'time').dataset
    const back = readDataset(reimported.id, [...TARGETS, ...TARGETS.map((t) => `${t}_pred`)])
    const source = readDataset(datasetId, TARGETS)
    const firstRowOf = new Map<string, Record<string, string>>()
    for (const row of rows) if (!firstRowOf.has(row.time!)) firstRowOf.set(row.time!, row)
    expect(back.times).toEqual([...firstRowOf.keys()].sort())
    back.times.forEach((time, i) => {
      const sourceRow = source.times.indexOf(time)
      for (const target of TARGETS) {
        expect(back.values[target]![i]).toBe(source.values[target]![sourceRow])
        expect(back.values[`${target}_pred`]![i]).toBe(Number(firstRowOf.get(time)![`${target}_pred`]))
      }
    })
  })
})
