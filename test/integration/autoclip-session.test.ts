import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { readCheckpoint } from '../../src/core/store/checkpoints'
import { requeueRun } from '../../src/core/store/runs'
import { openWorkspace } from '../../src/core/store/workspace'
import { autoClipThresholds } from '../../src/core/train/autoclip'
import { clipAdviceFor } from '../../src/core/clip-advice'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

describe('a run with AutoClip (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('records every step norm and the threshold in force at the end of each epoch', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { detail, epochs } = await trainInProcess(db, { datasetId, epochs: 2, lr: 0.01, clip: 'auto', clipPercentile: 25 })
    const norms = detail.epochRecords.flatMap((e) => e.stepNorms ?? [])
    expect(norms.length).toBeGreaterThan(4)
    const thresholds = autoClipThresholds(norms, 25)
    let seen = 0
    detail.epochRecords.forEach((record, k) => {
      seen += record.stepNorms!.length
      expect(record.clipThreshold).toBeCloseTo(thresholds[seen - 1]!, 6)
      // the epoch event carries the same threshold as the stored row
      expect(epochs[k]!.clipThreshold).toBe(record.clipThreshold)
      const clipped = record.stepNorms!.filter((n, i) => n > thresholds[seen - record.stepNorms!.length + i]!).length
      expect(record.clippedFraction).toBeCloseTo(clipped / record.stepNorms!.length, 10)
    })
    expect(readCheckpoint(db, detail.id, 'last').clipHistory?.seen).toBe(norms.length)
  })

  it('resumed after a stop, goes on with the same thresholds as an uninterrupted run', async () => {
    const { db, datasetId, path } = workspaceWithSeries(240)
    const base = { datasetId, epochs: 4, lr: 0.01, clip: 'auto', clipPercentile: 10 } as const
    const straight = await trainInProcess(db, base)
    const stopped = await trainInProcess(db, base, { stopAfterEpoch: 2 })
    expect(stopped.result.status).toBe('stopped')
    db.close()
    // through the real file: the history must come back from the checkpoint, not from memory
    const reopened = openWorkspace(path)
    requeueRun(reopened, stopped.runId, { pid: process.pid, token: 'test' }, stopped.detail.config)
    const resumed = await trainInProcess(reopened, base, { resumeRunId: stopped.runId })
    expect(resumed.detail.epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3, 4])
    resumed.detail.epochRecords.forEach((e, i) => {
      const reference = straight.detail.epochRecords[i]!
      expect(e.clipThreshold).toBeCloseTo(reference.clipThreshold!, 5)
      expect(e.clippedFraction).toBe(reference.clippedFraction)
      expect(e.trainLoss).toBeCloseTo(reference.trainLoss, 5)
    })
    reopened.close()
  })

  it('clips each tensor on its own with --clip tensor and records its threshold', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { detail } = await trainInProcess(db, { datasetId, epochs: 1, lr: 0.01, clip: 'tensor', clipThreshold: 0.05 })
    expect(detail.epochRecords[0]!.clipThreshold).toBe(0.05)
    expect(detail.epochRecords[0]!.clippedFraction).toBeGreaterThan(0)
  })

  it('keeps the step norms of the epoch a run diverged in, so it can still be advised on', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { result, detail } = await trainInProcess(db, { datasetId, epochs: 2, optimizer: 'sgd', lr: 1000, clip: 'none' })
    expect(result.status).toBe('diverged')
    const details = detail.error!.details as { step: number; stepNorms: number[]; divergedNorm: number | null }
    expect(details.stepNorms).toHaveLength(details.step - 1)
    const advice = clipAdviceFor(db, detail.id)
    expect(advice.diagnosis).toMatch(/^(.*; )?[Tt]he run diverged at epoch \d+, step \d+/)
    expect(advice.suggestions.map((s) => s.mode)).toEqual(['auto', 'norm'])
  })

  it('recovers from a divergence by halving the learning rate and AutoClip\'s percentile', async () => {
    const { db, datasetId } = workspaceWithSeries(240)
    const { result, recoveries, runId } = await trainInProcess(db, { datasetId, epochs: 1, optimizer: 'sgd', lr: 30, clip: 'auto', onDiverge: 'recover' })
    expect(result.status).toBe('completed')
    expect(recoveries).toHaveLength(1)
    expect(recoveries[0]).toMatchObject({ lr: 15, clipThreshold: null })
    expect(readCheckpoint(db, runId, 'last').config).toMatchObject({ clip: 'auto', clipPercentile: 5, lr: 15 })
  })
})
