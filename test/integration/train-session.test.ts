import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { fitScaler } from '../../src/core/data/scaler'
import { readCheckpoint, writeCheckpoint } from '../../src/core/store/checkpoints'
import { readColumn } from '../../src/core/store/datasets'
import { finishRun, requeueRun } from '../../src/core/store/runs'
import type { Db } from '../../src/core/store/workspace'
import { loadCheckpointModel } from '../../src/core/eval/checkpoint-model'
import { predictTest } from '../../src/core/eval/evaluate'
import { planTrainingData } from '../../src/core/data/training-data'
import type { EpochRecord } from '../../src/shared/api'
import { RunConfigSchema } from '../../src/shared/run-config'
import { insertDataset, sineSeries, workspaceWithSeries } from '../helpers/datasets'
import { TINY_RUN, trainInProcess } from '../helpers/train-run'

const TINY = TINY_RUN
const train = trainInProcess

function checkpointEpochs(db: Db, runId: number): Record<string, number> {
  const rows = db.prepare('SELECT kind, epoch FROM checkpoints WHERE run_id = ?').all(runId) as Array<{ kind: string; epoch: number }>
  return Object.fromEntries(rows.map((r) => [r.kind, r.epoch]))
}

describe('a training run (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('trains with a falling loss and commits every epoch with its checkpoints', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { result, detail, runId } = await train(db, { datasetId, epochs: 3, filters: 3, lr: 0.01 })
    expect(result.status).toBe('completed')
    expect(detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3])
    const first = detail.epochRecords[0]!
    const last = detail.epochRecords[2]!
    expect(last.trainLoss).toBeLessThan(first.trainLoss)
    expect(first.gradNorm.max).toBeGreaterThanOrEqual(first.gradNorm.p95)
    expect(first.gradNorm.p95).toBeGreaterThanOrEqual(first.gradNorm.p50)
    expect(Object.keys(first.layerNorms ?? {})).toEqual(expect.arrayContaining(['layer0', 'layer0/i', 'layer0/f', 'layer0/g', 'layer0/o', 'head']))
    expect(checkpointEpochs(db, runId)).toEqual({ best: detail.bestEpoch, last: 3 })
    expect(detail.metrics).toMatchObject({ testLoss: expect.any(Number) })
  })

  it('leaks no tensors over runs that complete, stop, diverge or recover (reliability 13)', async () => {
    const { db, datasetId } = workspaceWithSeries(200)
    await train(db, { datasetId, epochs: 1 })
    const before = tf.memory().numTensors
    for (let repeat = 0; repeat < 2; repeat++) {
      await train(db, { datasetId, epochs: 2, optimizer: 'rmsprop', clip: 'value', norm: 'layer' })
      await train(db, { datasetId, epochs: 2, onDiverge: 'recover', optimizer: 'sgd', lr: 10, clip: 'none' })
      await train(db, { datasetId, epochs: 2, optimizer: 'sgd', lr: 10, clip: 'none' })
      await train(db, { datasetId, epochs: 50 }, { stopAfterEpoch: 3 })
      expect(tf.memory().numTensors).toBe(before)
    }
  })

  it('catches an exploding setting (SGD, lr 10, no clipping) and ends diverged, never ranking NaN best (reliability 8)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { result, detail } = await train(db, { datasetId, epochs: 3, optimizer: 'sgd', lr: 10, clip: 'none' })
    expect(result.status).toBe('diverged')
    expect(detail.error?.code).toBe('RUN_DIVERGED')
    expect(detail.bestValLoss === null || Number.isFinite(detail.bestValLoss)).toBe(true)
    for (const e of detail.epochRecords) expect(Number.isFinite(e.trainLoss)).toBe(true)
  })

  it('keeps the same setting finite with norm clipping and records how often it clipped (reliability 9)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    // from a random start, as the exploding setting above: a warm-started highway begins near an
    // exact fit, where a thousandfold worse loss is a spike the guard rightly refuses
    const { result, detail } = await train(db, { datasetId, epochs: 3, optimizer: 'sgd', lr: 10, clip: 'norm', clipThreshold: 0.1, highway: 'off' })
    expect(result.status).toBe('completed')
    for (const e of detail.epochRecords) {
      expect(Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss!)).toBe(true)
      expect(e.clipThreshold).toBe(0.1)
      expect(e.clippedFraction).toBeGreaterThan(0.5)
    }
  })

  it('recovers from the explosion with --on-diverge recover: rolls back, halves lr, switches norm clipping on (reliability 8)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { result, detail, recoveries } = await train(db, { datasetId, epochs: 3, optimizer: 'sgd', lr: 10, clip: 'none', onDiverge: 'recover' })
    expect(result.status).toBe('completed')
    expect(detail.recoveries.length).toBeGreaterThan(0)
    expect(recoveries).toEqual(detail.recoveries)
    expect(detail.recoveries[0]!.lr).toBe(5)
    // clipping was off: switched on at the median pre-clip norm of the healthy steps
    expect(detail.recoveries[0]!.clipThreshold).toBeGreaterThan(0)
    expect(detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3])
    for (const e of detail.epochRecords) expect(Number.isFinite(e.trainLoss)).toBe(true)
    // the effective settings travel with the checkpoint so a resume keeps them
    const last = readCheckpoint(db, detail.id, 'last')
    expect(last.config).toMatchObject({ lr: detail.recoveries.at(-1)!.lr, clip: 'norm' })
  })

  it('ends diverged once --max-recoveries is used up', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { result, detail } = await train(db, { datasetId, epochs: 3, optimizer: 'sgd', lr: 1000, clip: 'none', onDiverge: 'recover', maxRecoveries: 1 })
    expect(result.status).toBe('diverged')
    expect(detail.recoveries).toHaveLength(1)
  })

  it('stops cleanly and resumes from the checkpoint to match an uninterrupted run (reliability 10)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const base = { datasetId, epochs: 4, lr: 0.01 }
    const straight = await train(db, base)
    const stopped = await train(db, base, { stopAfterEpoch: 2 })
    expect(stopped.result.status).toBe('stopped')
    expect(stopped.detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2])
    expect(checkpointEpochs(db, stopped.runId).last).toBe(2)
    requeueRun(db, stopped.runId, { pid: process.pid, token: 'test' }, stopped.detail.config)
    const resumed = await train(db, base, { resumeRunId: stopped.runId })
    expect(resumed.result.status).toBe('completed')
    expect(resumed.detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    resumed.detail.epochRecords.forEach((e, i) => {
      expect(e.trainLoss).toBeCloseTo(straight.detail.epochRecords[i]!.trainLoss, 5)
      expect(e.valLoss!).toBeCloseTo(straight.detail.epochRecords[i]!.valLoss!, 5)
    })
  })

  it('stops (resumable) when an epoch cannot be written, keeping the previous checkpoint loadable (reliability 5)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    // a real SQLITE_FULL on the second epoch's commit: the file may not grow past its size after epoch 1
    const fillDisk = (record: EpochRecord) => {
      if (record.epoch === 1) db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
    }
    // without the highway's warm start, whose epoch-0 checkpoint would already hold the pages epoch 2 rewrites
    const { result, detail } = await train(db, { datasetId, epochs: 3, highway: 'off' }, { onEpoch: fillDisk })
    expect(result.status).toBe('stopped')
    expect(detail.error?.code).toBe('WORKSPACE_WRITE')
    expect(detail.epochRecords.map((e) => e.epoch)).toEqual([1])
    expect(readCheckpoint(db, detail.id, 'last').epoch).toBe(1)
    db.pragma('max_page_count = 1073741823')
    requeueRun(db, detail.id, { pid: process.pid, token: 'test' }, detail.config)
    const resumed = await train(db, { datasetId }, { resumeRunId: detail.id })
    expect(resumed.detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3])
  })

  it('ends an unexpected error after a committed epoch as stopped with the error kept, and resumes (reliability 10)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    // not a disk problem: a statement that fails for a reason the session cannot foresee
    db.exec(`CREATE TRIGGER surprise BEFORE INSERT ON epochs WHEN NEW.epoch = 2 BEGIN SELECT RAISE(ABORT, 'something unforeseen'); END`)
    const { result, detail } = await train(db, { datasetId, epochs: 3 })
    expect(result.status).toBe('stopped')
    expect(detail.status).toBe('stopped')
    expect(detail.error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('something unforeseen') })
    expect(readCheckpoint(db, detail.id, 'last').epoch).toBe(1)
    db.exec('DROP TRIGGER surprise')
    requeueRun(db, detail.id, { pid: process.pid, token: 'test' }, detail.config)
    const resumed = await train(db, { datasetId }, { resumeRunId: detail.id })
    expect(resumed.detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3])
  })

  it('refuses a run whose estimated memory exceeds the budget before building a tensor', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    process.env.CLIPCAST_RUN_MEMORY_MB = '0.01'
    try {
      await expect(train(db, { datasetId, epochs: 1 })).rejects.toMatchObject({ code: 'RUN_TOO_LARGE' })
    } finally {
      delete process.env.CLIPCAST_RUN_MEMORY_MB
    }
  })

  it('lets the same error fail a run that has no checkpoint to resume from', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    db.exec(`CREATE TRIGGER surprise BEFORE INSERT ON epochs BEGIN SELECT RAISE(ABORT, 'something unforeseen'); END`)
    // without the highway's warm start, which is itself a checkpoint (epoch 0) to resume from
    await expect(train(db, { datasetId, epochs: 2, highway: 'off' })).rejects.toThrow(/something unforeseen/)
  })

  it('resumes from the best checkpoint when the last one is corrupt, redoing the later epochs once (reliability 6)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const stopped = await train(db, { datasetId, epochs: 3, lr: 0.01 }, { stopAfterEpoch: 3 })
    finishRun(db, stopped.runId, 'stopped')
    // make `best` older than `last`, then damage `last`
    const best = readCheckpoint(db, stopped.runId, 'best')
    writeCheckpoint(db, stopped.runId, 'best', { ...best, epoch: 1, optimizer: best.optimizer })
    db.prepare(`UPDATE checkpoints SET weights_blob = zeroblob(length(weights_blob)) WHERE run_id = ? AND kind = 'last'`).run(stopped.runId)
    requeueRun(db, stopped.runId, { pid: process.pid, token: 'test' }, { ...stopped.detail.config, epochs: 3 })
    const resumed = await train(db, { datasetId }, { resumeRunId: stopped.runId })
    expect(resumed.warnings.map((w) => w.code)).toContain('CHECKPOINT_CORRUPT')
    expect(resumed.detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3])
  })

  it('fits the scaler on the training rows only (reliability 26)', async () => {
    const { db } = workspaceWithSeries(10)
    const series = sineSeries(300, 1)
    // a level shift inside the validation and test periods must not reach the scaler
    const shifted = Array.from(series.columns.v0!, (v, i) => (i >= 200 ? v + 1000 : v))
    const datasetId = insertDataset(db, { ...series, columns: { v0: shifted } })
    const config = RunConfigSchema.parse({ ...TINY, datasetId, valFraction: 0.2, testFraction: 0.2 })
    const data = planTrainingData(db, config)
    expect(data.split.trainEndRow).toBeLessThan(200)
    const expected = fitScaler([{ name: 'v0', values: readColumn(db, datasetId, 'v0', { start: 0, end: data.split.trainEndRow }) }]).scaler.columns[0]!
    expect(data.scaler.columns[0]!.mean).toBeCloseTo(expected.mean, 10)
    expect(data.scaler.columns[0]!.std).toBeCloseTo(expected.std, 10)
    expect(data.scaler.columns[0]!.mean).toBeLessThan(100)
  })

  it('trains through a constant and an all-missing column without NaN, and says what it did (reliability 12)', async () => {
    const { db } = workspaceWithSeries(10)
    const series = sineSeries(240, 1)
    const datasetId = insertDataset(db, { ...series, columns: { ...series.columns, flat: new Array(240).fill(3), empty: new Array(240).fill(NaN) } })
    const { result, detail, warnings } = await train(db, { datasetId, targets: ['v0'], epochs: 2 })
    expect(result.status).toBe('completed')
    expect(warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['COLUMN_CONSTANT', 'COLUMN_ALL_MISSING']))
    for (const e of detail.epochRecords) expect(Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss!)).toBe(true)
    // stored on the run where they were raised, each once
    expect(detail.warnings).toEqual(warnings.filter((w, i) => warnings.findIndex((o) => o.code === w.code && o.message === w.message) === i).map(({ code, message }) => ({ code, message })))
  })

  it('stores a resumed run\'s warnings once, the checkpoint fallback beside the data warnings (reliability 12)', async () => {
    const { db } = workspaceWithSeries(10)
    const series = sineSeries(240, 1)
    const datasetId = insertDataset(db, { ...series, columns: { ...series.columns, flat: new Array(240).fill(3) } })
    const stopped = await train(db, { datasetId, targets: ['v0'], epochs: 3 }, { stopAfterEpoch: 1 })
    db.prepare(`UPDATE checkpoints SET weights_blob = zeroblob(length(weights_blob)) WHERE run_id = ? AND kind = 'last'`).run(stopped.runId)
    requeueRun(db, stopped.runId, { pid: process.pid, token: 'test' }, stopped.detail.config)
    const resumed = await train(db, { datasetId }, { resumeRunId: stopped.runId })
    const codes = resumed.detail.warnings.map((w) => w.code)
    expect(codes.filter((c) => c === 'COLUMN_CONSTANT')).toHaveLength(1)
    expect(codes).toContain('CHECKPOINT_CORRUPT')
  })

  it('trains the grid layout on columns named like temp[r,c]', async () => {
    const { db } = workspaceWithSeries(10)
    const base = sineSeries(200, 4)
    const names = ['temp[0,0]', 'temp[0,1]', 'temp[1,0]', 'temp[1,1]']
    const datasetId = insertDataset(db, { ...base, columns: Object.fromEntries(names.map((n, i) => [n, base.columns[`v${i}`]!])) })
    const { result, detail } = await train(db, { datasetId, layout: 'grid', targets: ['temp[1,1]'], epochs: 2 })
    expect(result.status).toBe('completed')
    expect(detail.epochRecords).toHaveLength(2)
    const run = loadCheckpointModel(db, detail.id, 'best')
    expect(run.spec.inputShape).toEqual([6, 2, 2, 1])
    run.dispose()
  })

  it('rebuilds the model from a checkpoint and predicts its test windows, with actual targets in original units', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { runId } = await train(db, { datasetId, epochs: 2 })
    const before = tf.memory().numTensors
    const run = loadCheckpointModel(db, runId, 'best')
    const { test, predicted } = await predictTest(db, { ...run, runId })
    expect(predicted.values.every(Number.isFinite)).toBe(true)
    expect(predicted.windows).toBe(run.data.split.test.length)
    expect(test.actual.windows).toBe(run.data.split.test.length)
    // the first target of the first test window is the row right after its origin
    expect(test.actual.values[0]).toBe(readColumn(db, datasetId, 'v0')[test.origins[0]! + 1])
    run.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('refuses a checkpoint that does not fit the model with CHECKPOINT_MISMATCH (reliability 11)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { runId } = await train(db, { datasetId, epochs: 1 })
    const best = readCheckpoint(db, runId, 'best')
    const weights = new Map(best.weights)
    weights.set('layer0/kernel', new Float32Array(3))
    writeCheckpoint(db, runId, 'best', { ...best, weights })
    writeCheckpoint(db, runId, 'last', { ...best, weights })
    expect(() => loadCheckpointModel(db, runId, 'best')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }))
  })

  it('refuses a checkpoint whose dataset lost a column it was trained on (reliability 11)', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { runId } = await train(db, { datasetId, targets: ['v0'], epochs: 1 })
    const columns = JSON.parse((db.prepare('SELECT columns_json FROM datasets WHERE id = ?').get(datasetId) as { columns_json: string }).columns_json) as Array<{ name: string }>
    columns[1]!.name = 'renamed'
    db.prepare('UPDATE datasets SET columns_json = ? WHERE id = ?').run(JSON.stringify(columns), datasetId)
    expect(() => loadCheckpointModel(db, runId, 'best')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }))
  })
})
