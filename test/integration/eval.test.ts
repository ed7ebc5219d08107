import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { selectBackend } from '../../src/core/backend'
import { importCsv } from '../../src/core/data/import'
import { evaluateFinishedRun, seasonOf } from '../../src/core/eval/evaluate'
import { exportRun } from '../../src/core/eval/export-run'
import { makeForecast } from '../../src/core/eval/forecast'
import { loadRunModel } from '../../src/core/eval/inference'
import { writeCheckpoint, readCheckpoint } from '../../src/core/store/checkpoints'
import { insertDataset } from '../../src/core/store/datasets'
import { listForecasts } from '../../src/core/store/forecasts'
import { createRun, getRunSummary } from '../../src/core/store/runs'
import { openWorkspace, type Db } from '../../src/core/store/workspace'
import { trainRun } from '../../src/core/train/session'
import { RunConfigSchema } from '../../src/shared/run-config'

// 240 hourly rows of two variables with a daily cycle: a tiny run trains in a second
const ROWS = 240
const START = Date.UTC(2024, 0, 1)
const times = Float64Array.from({ length: ROWS }, (_, t) => START + t * 3_600_000)
const temp = Float64Array.from({ length: ROWS }, (_, t) => 10 + 5 * Math.sin((2 * Math.PI * t) / 24) + 0.01 * t)
const wind = Float64Array.from({ length: ROWS }, (_, t) => 3 + Math.cos((2 * Math.PI * t) / 24) * ((t % 5) / 5))

let db: Db
let dir: string
let runId: number

const quiet = { progress: () => {}, epoch: () => {}, recovered: () => {} }

async function train(overrides: Record<string, unknown> = {}): Promise<number> {
  const config = RunConfigSchema.parse({ datasetId: 1, epochs: 2, filters: 4, lookback: 24, horizon: 6, batch: 16, backend: 'cpu', ...overrides })
  const id = createRun(db, config, 'sha', { pid: process.pid, token: 'test' })
  await trainRun({ db, runId: id, resume: false, events: quiet, stopRequested: () => false })
  return id
}

beforeAll(async () => {
  await selectBackend('cpu')
  dir = mkdtempSync(join(tmpdir(), 'clipcast-eval-'))
  db = openWorkspace(join(dir, 'ws.db'))
  insertDataset(db, {
    name: 'synthetic',
    sourceName: 'synthetic.csv',
    sha256: 'synthetic',
    timeColumn: 'time',
    frequency: 'hourly',
    columns: [
      { name: 'temp', kind: 'numeric', missing: 0 },
      { name: 'wind', kind: 'numeric', missing: 0 },
    ],
    warnings: [],
    times,
    values: [temp, wind],
  })
  runId = await train()
})

afterAll(() => db?.close())

describe('evaluation of a finished run', () => {
  it('stores metrics per horizon step and target, and every baseline', async () => {
    const run = getRunSummary(db, runId)
    expect(run.status).toBe('completed')
    const m = run.metrics!
    expect(m.mae).toBeGreaterThan(0)
    expect(m.rmse).toBeGreaterThanOrEqual(m.mae)
    expect(m.perHorizon.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6])
    expect(Object.keys(m.perTarget)).toEqual(['temp', 'wind'])
    expect(typeof m.mase).toBe('number')
    expect(Object.keys(run.baselines!).sort()).toEqual(['drift', 'linear', 'naive', 'seasonalNaive'])
    // the cycle is linear in the lookback (a sum of sinusoids): ridge nearly nails it
    expect(run.baselines!.linear!.perTarget.temp!.mae).toBeLessThan(run.baselines!.naive!.perTarget.temp!.mae / 5)
    // the daily cycle is nearly exact for the seasonal naive (period 24 from the hourly frequency)
    expect(run.baselines!.seasonalNaive!.perTarget.temp!.mae).toBeLessThan(run.baselines!.naive!.perTarget.temp!.mae)
  })

  it('exports the test part so that its pairs give back the stored MAE, per target and overall', async () => {
    const path = join(dir, 'test.csv')
    const result = await exportRun(db, { runId, what: 'test', path })
    const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Array<Record<string, string>>
    expect(rows.length).toBe(result.rows)
    const bounds = (t: string) => ['lo80', 'hi80', 'lo95', 'hi95'].map((b) => `${t}_${b}`)
    expect(Object.keys(rows[0]!)).toEqual(['origin', 'time', 'step', 'temp', 'temp_pred', ...bounds('temp'), 'wind', 'wind_pred', ...bounds('wind')])
    const errors = rows.flatMap((r) => [Math.abs(Number(r.temp) - Number(r.temp_pred)), Math.abs(Number(r.wind) - Number(r.wind_pred))])
    const run = getRunSummary(db, runId)
    expect(errors.reduce((a, b) => a + b, 0) / errors.length).toBeCloseTo(run.metrics!.mae, 12)
    const tempErrors = rows.map((r) => Math.abs(Number(r.temp) - Number(r.temp_pred)))
    expect(tempErrors.reduce((a, b) => a + b, 0) / tempErrors.length).toBeCloseTo(run.metrics!.perTarget.temp!.mae, 12)
    // time = origin + step hours; the origin is a test window's last input row
    for (const r of rows.slice(0, 12)) expect(Date.parse(r.time!) - Date.parse(r.origin!)).toBe(Number(r.step) * 3_600_000)
  })

  it('forecasts the hours after the end of the dataset and stores the forecast', async () => {
    const { forecast } = await makeForecast(db, runId)
    expect(forecast.origin).toBe(new Date(times[ROWS - 1]!).toISOString())
    expect(forecast.time).toEqual(Array.from({ length: 6 }, (_, s) => new Date(times[ROWS - 1]! + (s + 1) * 3_600_000).toISOString()))
    expect(forecast.values.temp!.every(Number.isFinite)).toBe(true)
    expect(forecast.values.temp!.length).toBe(6)
    expect(listForecasts(db, runId)[0]!.values).toEqual(forecast.values)
  })

  it('exports the forecast and a re-import through importCsv gives the stored numbers back (reliability 23)', async () => {
    const path = join(dir, 'forecast.csv')
    await exportRun(db, { runId, what: 'forecast', path })
    const stored = listForecasts(db, runId)[0]!
    const reimported = await importCsv(db, { path, name: 'reimport' })
    expect(reimported.rows).toBe(6)
    const { readColumn, readTimes } = await import('../../src/core/store/datasets')
    expect(Array.from(readColumn(db, reimported.id, 'temp'))).toEqual(stored.values.temp)
    expect(Array.from(readColumn(db, reimported.id, 'wind'))).toEqual(stored.values.wind)
    expect(Array.from(readTimes(db, reimported.id)).map((t) => new Date(t).toISOString())).toEqual(stored.time)
  })

  it('leaks no tensors across forecasts and test exports', async () => {
    await makeForecast(db, runId)
    const before = tf.memory().numTensors
    await makeForecast(db, runId)
    await makeForecast(db, runId)
    await exportRun(db, { runId, what: 'test', path: join(dir, 'leak.csv') })
    await exportRun(db, { runId, what: 'test', path: join(dir, 'leak.csv') })
    expect(tf.memory().numTensors).toBe(before)
  })

  it('takes the seasonal-naive period from --season when given, else from the frequency', async () => {
    const data = loadRunModel(db, runId)
    try {
      expect(seasonOf({ season: undefined }, data.data)).toBe(24)
      expect(seasonOf({ season: 12 }, data.data)).toBe(12)
    } finally {
      data.dispose()
    }
  })

  it('refuses to forecast from a diverged run with RUN_DIVERGED (reliability 8)', async () => {
    db.prepare(`UPDATE runs SET status = 'diverged' WHERE id = ?`).run(runId)
    try {
      await expect(makeForecast(db, runId)).rejects.toThrow(expect.objectContaining({ code: 'RUN_DIVERGED' }))
      await expect(exportRun(db, { runId, what: 'test', path: join(dir, 'x.csv') })).rejects.toThrow(expect.objectContaining({ code: 'RUN_DIVERGED' }))
    } finally {
      db.prepare(`UPDATE runs SET status = 'completed' WHERE id = ?`).run(runId)
    }
  })

  it('refuses an irregular dataset without a step (IRREGULAR_FREQUENCY) and continues it by an explicit --step', async () => {
    db.prepare(`UPDATE datasets SET frequency = 'irregular' WHERE id = 1`).run()
    try {
      await expect(makeForecast(db, runId)).rejects.toThrow(expect.objectContaining({ code: 'IRREGULAR_FREQUENCY' }))
      const { forecast } = await makeForecast(db, runId, { step: '15m' })
      expect(Date.parse(forecast.time[1]!) - Date.parse(forecast.time[0]!)).toBe(900_000)
    } finally {
      db.prepare(`UPDATE datasets SET frequency = 'hourly' WHERE id = 1`).run()
    }
  })

  it('keeps a month-end series on month ends in its forecast', async () => {
    // 60 month ends from January 2019; the forecast after December 2023 is Jan 31, Feb 29 (leap), Mar 31
    const months = Float64Array.from({ length: 60 }, (_, m) => Date.UTC(2019, m + 1, 0))
    const id = insertDataset(db, {
      name: 'monthly',
      sourceName: 'monthly.csv',
      sha256: 'monthly',
      timeColumn: 'month',
      frequency: 'monthly',
      columns: [{ name: 'sales', kind: 'numeric', missing: 0 }],
      warnings: [],
      times: months,
      values: [Float64Array.from({ length: 60 }, (_, m) => 100 + 10 * Math.sin((2 * Math.PI * m) / 12))],
    }).id
    const monthly = await train({ datasetId: id, lookback: 12, horizon: 3, batch: 8 })
    expect(getRunSummary(db, monthly).baselines!.seasonalNaive).toBeDefined()
    const { forecast } = await makeForecast(db, monthly)
    expect(forecast.time).toEqual(['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z'])
  })

  it('refuses to forecast from non-finite weights with NON_FINITE_WEIGHTS', async () => {
    const other = await train({ seed: 7 })
    const best = readCheckpoint(db, other, 'best')
    const [name, values] = [...best.weights][0]!
    values[0] = NaN
    writeCheckpoint(db, other, 'best', { epoch: best.epoch, weights: new Map([...best.weights, [name, values]]), optimizer: best.optimizer, config: best.config, scaler: best.scaler })
    expect(() => loadRunModel(db, other)).toThrow(expect.objectContaining({ code: 'NON_FINITE_WEIGHTS' }))
    await expect(makeForecast(db, other)).rejects.toThrow(expect.objectContaining({ code: 'NON_FINITE_WEIGHTS' }))
  })

  it('refuses finite weights whose predictions overflow: no forecast, no export, no metrics', async () => {
    const other = await train({ seed: 8 })
    const best = readCheckpoint(db, other, 'best')
    const weights = new Map(best.weights)
    weights.set('head/kernel', new Float32Array(weights.get('head/kernel')!.length).fill(3e38))
    weights.set('head/bias', new Float32Array(weights.get('head/bias')!.length).fill(3e38))
    writeCheckpoint(db, other, 'best', { epoch: best.epoch, weights, optimizer: best.optimizer, config: best.config, scaler: best.scaler })
    await expect(makeForecast(db, other)).rejects.toThrow(expect.objectContaining({ code: 'NON_FINITE_WEIGHTS' }))
    await expect(exportRun(db, { runId: other, what: 'test', path: join(dir, 'overflow.csv') })).rejects.toThrow(expect.objectContaining({ code: 'NON_FINITE_WEIGHTS' }))
    const loaded = loadRunModel(db, other)
    const warnings: string[] = []
    try {
      const result = await evaluateFinishedRun(db, other, loaded.model, loaded.data, loaded.series, { season: undefined }, (w) => warnings.push(w.code))
      expect(result.metrics).toBeUndefined()
      expect(warnings).toContain('EVALUATION_FAILED')
    } finally {
      loaded.dispose()
    }
  })

  it('calibrates 80% and 95% intervals, reports their test coverage, forecasts and exports the bands', async () => {
    const run = getRunSummary(db, runId)
    const { coverage, intervals } = run.metrics!
    expect(intervals!.levels).toEqual([80, 95])
    expect(intervals!.halfWidth['80']!.length).toBe(6 * 2)
    intervals!.halfWidth['80']!.forEach((width, i) => expect(width).toBeLessThanOrEqual(intervals!.halfWidth['95']![i]!))
    expect(Object.keys(coverage!)).toEqual(['80', '95'])
    expect(coverage!['95']).toBeGreaterThanOrEqual(coverage!['80']!)
    const { forecast } = await makeForecast(db, runId)
    const band = forecast.intervals!['80']!
    forecast.values.temp!.forEach((value, s) => {
      expect(band.lower.temp![s]).toBeCloseTo(value - intervals!.halfWidth['80']![s * 2]!, 9)
      expect(band.upper.temp![s]).toBeCloseTo(value + intervals!.halfWidth['80']![s * 2]!, 9)
    })
    expect(listForecasts(db, runId)[0]!.intervals).toEqual(forecast.intervals)
    const path = join(dir, 'bands.csv')
    await exportRun(db, { runId, what: 'forecast', path })
    const header = readFileSync(path, 'utf8').split(/\r?\n/)[0]!
    expect(header).toBe('time,temp,temp_lo80,temp_hi80,temp_lo95,temp_hi95,wind,wind_lo80,wind_hi80,wind_lo95,wind_hi95')
  })

  it('loads a run stored before window normalisation as global without a highway, and forecasts from it', async () => {
    const legacy = await train({ seed: 9, normalize: 'global', highway: 'off' })
    const strip = (config: object) => {
      const { normalize: _n, location: _l, highway: _h, intervals: _i, ...old } = config as Record<string, unknown>
      return old
    }
    db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify(strip(getRunSummary(db, legacy).config)), legacy)
    for (const kind of ['best', 'last'] as const) {
      const checkpoint = readCheckpoint(db, legacy, kind)
      writeCheckpoint(db, legacy, kind, { ...checkpoint, config: strip(checkpoint.config) as typeof checkpoint.config })
    }
    const stored = getRunSummary(db, legacy)
    expect([stored.config.normalize, stored.config.highway]).toEqual(['global', 'off'])
    const loaded = loadRunModel(db, legacy)
    try {
      expect(loaded.data.frame).toBeUndefined()
      expect(loaded.model.variableNames).not.toContain('highway/kernel')
    } finally {
      loaded.dispose()
    }
    expect((await makeForecast(db, legacy)).forecast.values.temp!.every(Number.isFinite)).toBe(true)
  })

  it('trains new runs in each window\'s frame, with a highway, by default', async () => {
    const id = await train({ seed: 10 })
    const loaded = loadRunModel(db, id)
    try {
      expect(loaded.data.frame).toEqual({ location: 'last', scale: 'train' })
      expect(loaded.model.variableNames).toContain('highway/kernel')
    } finally {
      loaded.dispose()
    }
  })

  it('keeps the warm start (best epoch 0) when no epoch of training beats it on validation', async () => {
    // temp is a sinusoid plus a trend, which its own lags predict exactly: the ridge start is
    // already the best fit, and every step of training only moves away from it
    const id = await train({ seed: 12, targets: ['temp'] })
    const run = getRunSummary(db, id)
    expect(run.status).toBe('completed')
    expect(run.bestEpoch).toBe(0)
    expect(readCheckpoint(db, id, 'best').epoch).toBe(0)
    // the model scored is the starting point: the linear baseline's forecasts
    expect(run.metrics!.mae).toBeCloseTo(run.baselines!.linear!.mae, 3)
  })

  it('trains, scores and forecasts with the recursive head', async () => {
    const id = await train({ seed: 13, head: 'recursive', targets: ['temp'] })
    const run = getRunSummary(db, id)
    expect(run.status).toBe('completed')
    expect(run.metrics!.perHorizon).toHaveLength(6)
    expect(run.metrics!.mase).toBeLessThan(run.baselines!.naive!.mase!)
    const { forecast } = await makeForecast(db, id)
    expect(forecast.values.temp!.every(Number.isFinite)).toBe(true)
  })
})
