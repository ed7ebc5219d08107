import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selectBackend } from '../../src/core/backend'
import { runBacktest } from '../../src/core/train/backtest'
import { insertBacktest, listBacktests } from '../../src/core/store/backtests'
import { insertDataset } from '../../src/core/store/datasets'
import { createRun } from '../../src/core/store/runs'
import { openWorkspace, type Db } from '../../src/core/store/workspace'
import { planTrainingData } from '../../src/core/data/training-data'
import { RunConfigSchema } from '../../src/shared/run-config'

const ROWS = 200
const CHANGED = 15
const START = Date.UTC(2024, 0, 1)
const times = Float64Array.from({ length: ROWS }, (_, t) => START + t * 3_600_000)
const level = (t: number) => 10 + 5 * Math.sin((2 * Math.PI * t) / 24) + 0.02 * t
const config = (datasetId: number) => RunConfigSchema.parse({ datasetId, epochs: 2, filters: 2, lookback: 12, horizon: 3, batch: 32, backend: 'cpu', testFraction: 0.3 })

let db: Db
const datasetIds: number[] = []

function addDataset(name: string, values: Float64Array): number {
  return insertDataset(db, {
    name,
    sourceName: `${name}.csv`,
    sha256: name,
    timeColumn: 'time',
    frequency: 'hourly',
    columns: [{ name: 'y', kind: 'numeric', missing: 0 }],
    warnings: [],
    times,
    values: [values],
  }).id
}

beforeAll(async () => {
  await selectBackend('cpu')
  db = openWorkspace(join(mkdtempSync(join(tmpdir(), 'clipcast-bt-')), 'ws.db'))
  const clean = Float64Array.from({ length: ROWS }, (_, t) => level(t))
  datasetIds.push(addDataset('clean', clean))
  // the same series with its last CHANGED rows changed: only the last fold may notice
  datasetIds.push(addDataset('future-changed', Float64Array.from(clean, (v, t) => (t >= ROWS - CHANGED ? v + 100 : v))))
})

afterAll(() => db?.close())

describe('rolling-origin backtest', () => {
  it('cuts the run\'s test windows into consecutive folds, each trained on a longer past', async () => {
    const runId = createRun(db, config(datasetIds[0]!), 'sha', { pid: process.pid, token: 't' })
    const result = await runBacktest(db, runId, { folds: 3, epochs: 1 })
    const plan = planTrainingData(db, config(datasetIds[0]!))
    expect(result.folds.map((f) => f.testWindows).reduce((a, b) => a + b, 0)).toBe(plan.split.test.length)
    expect(result.folds.map((f) => f.fold)).toEqual([1, 2, 3])
    for (let k = 1; k < 3; k++) {
      expect(result.folds[k]!.testStartRow).toBeGreaterThan(result.folds[k - 1]!.testStartRow)
      expect(result.folds[k]!.trainWindows).toBeGreaterThan(result.folds[k - 1]!.trainWindows)
    }
    expect(result.folds[0]!.testStartRow).toBe(plan.split.test[0]! + 12)
    for (const fold of result.folds) {
      expect(fold.status).toBe('completed')
      expect(fold.metrics!.mae).toBeGreaterThan(0)
      expect(Object.keys(fold.baselines!).sort()).toEqual(['drift', 'linear', 'naive', 'seasonalNaive'])
    }
    expect(result.mean.mae).toBeCloseTo(result.folds.reduce((s, f) => s + f.metrics!.mae, 0) / 3, 12)
    expect(result.mean.perHorizon.map((p) => p.step)).toEqual([1, 2, 3])
    const stored = insertBacktest(db, result)
    expect(listBacktests(db, runId)[0]).toEqual(stored)
  })

  it('never lets a fold see its future: changing later rows leaves the earlier folds bit for bit the same', async () => {
    const results = []
    for (const id of datasetIds) results.push(await runBacktest(db, createRun(db, config(id), 'sha', { pid: process.pid, token: 't' }), { folds: 3, epochs: 1 }))
    const [a, b] = results
    // the changed rows lie after every target of folds 1 and 2 (fold 3's test period)
    expect(Date.parse(a!.folds[1]!.testEnd)).toBeLessThan(times[ROWS - CHANGED]!)
    expect(b!.folds[0]!.metrics).toEqual(a!.folds[0]!.metrics)
    expect(b!.folds[1]!.metrics).toEqual(a!.folds[1]!.metrics)
    expect(b!.folds[2]!.metrics!.mae).not.toBe(a!.folds[2]!.metrics!.mae)
  })

  it('trains every fold on the run\'s loop, divergence guard included: a fold that explodes recovers as a run would', async () => {
    const exploding = { ...config(datasetIds[0]!), optimizer: 'sgd' as const, lr: 10, clip: 'none' as const }
    const stopping = await runBacktest(db, createRun(db, exploding, 'sha', { pid: process.pid, token: 't' }), { folds: 2, epochs: 2 })
    expect(stopping.folds.map((f) => f.status)).toEqual(['diverged', 'diverged'])
    expect(stopping.warnings.map((w) => w.code)).toContain('BACKTEST_FOLD_DIVERGED')
    const recovering = await runBacktest(db, createRun(db, { ...exploding, onDiverge: 'recover' }, 'sha', { pid: process.pid, token: 't' }), { folds: 2, epochs: 2 })
    expect(recovering.warnings.map((w) => w.code)).toContain('BACKTEST_FOLD_RECOVERED')
    for (const fold of recovering.folds) {
      expect(fold.status).toBe('completed')
      expect(fold.epochs).toBe(2)
      expect(Number.isFinite(fold.metrics!.mae)).toBe(true)
    }
  })

  it('refuses more folds than test windows and leaks no tensors', async () => {
    const runId = createRun(db, config(datasetIds[0]!), 'sha', { pid: process.pid, token: 't' })
    await expect(runBacktest(db, runId, { folds: 10_000 })).rejects.toThrow(expect.objectContaining({ code: 'DATASET_TOO_SHORT' }))
    await runBacktest(db, runId, { folds: 1, epochs: 1 })
    const before = tf.memory().numTensors
    await runBacktest(db, runId, { folds: 2, epochs: 1 })
    expect(tf.memory().numTensors).toBe(before)
  })
})
