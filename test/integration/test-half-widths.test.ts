import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportRun } from '../../src/core/eval/export-run'
import { testPeriod } from '../../src/core/eval/test-period'
import { readCheckpoint } from '../../src/core/store/checkpoints'
import { deleteRun, finishRun, getRunSummary, requeueRun } from '../../src/core/store/runs'
import { readTestHalfWidths, replaceTestHalfWidths } from '../../src/core/store/test-half-widths'
import type { Db } from '../../src/core/store/workspace'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

const rows = (db: Db, runId: number): number => (db.prepare('SELECT count(*) AS n FROM run_test_intervals WHERE run_id = ?').get(runId) as { n: number }).n
const forget = (db: Db, runId: number): void => void db.prepare('DELETE FROM run_test_intervals WHERE run_id = ?').run(runId)

async function testCsv(db: Db, runId: number, name: string): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'clipcast-half-widths-')), name)
  await exportRun(db, { runId, what: 'test', path })
  return readFileSync(path, 'utf8')
}

describe('the test half-widths a run stores at evaluation (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('are what the test period and the test export recompute without them, and go with the run', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01 })
    const best = readCheckpoint(db, runId, 'best')
    const stored = readTestHalfWidths(db, runId, best)!
    expect(stored.epoch).toBe(best.epoch)
    expect(stored.levels).toEqual([80, 95])
    expect(stored.cells).toBe(3)
    const period = await testPeriod(db, runId)
    const csv = await testCsv(db, runId, 'stored.csv')
    expect(stored.windows).toBe(period.totalWindows)
    expect(Array.from(stored.halfWidth['95']!.subarray(0, 3))).toEqual(period.windows[0]!.halfWidth!['95'])

    // they are what is served: doubled in the store, doubled in the view
    replaceTestHalfWidths(db, runId, { ...stored, halfWidth: { 80: stored.halfWidth['80']!.map((v) => 2 * v), 95: stored.halfWidth['95']!.map((v) => 2 * v) } })
    const doubled = await testPeriod(db, runId)
    expect(doubled.windows.at(-1)!.halfWidth!['80']).toEqual(period.windows.at(-1)!.halfWidth!['80']!.map((v) => 2 * v))
    expect(await testCsv(db, runId, 'doubled.csv')).not.toBe(csv)

    // a run evaluated before the table (no row) recomputes them: the very same numbers
    forget(db, runId)
    expect(await testPeriod(db, runId)).toEqual(period)
    expect(await testCsv(db, runId, 'recomputed.csv')).toBe(csv)

    deleteRun(db, runId)
    expect(rows(db, runId)).toBe(0)
  })

  it('are not read once the best checkpoint moves (a resume to a new best epoch), and its evaluation stores them again', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    // without the highway, whose warm start the first epochs do not beat: the best epoch then moves with training
    const { runId, detail } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01, seed: 3, highway: 'off' })
    const before = await testPeriod(db, runId)
    const firstBest = readCheckpoint(db, runId, 'best').epoch
    // only a stopped run resumes: mark it so (its metrics stay) and train it on, stopping before its evaluation
    finishRun(db, runId, 'stopped')
    requeueRun(db, runId, { pid: process.pid, token: 'test' }, { ...detail.config, epochs: 6 })
    const stopped = await trainInProcess(db, { datasetId }, { resumeRunId: runId, stopAfterEpoch: 5 })
    expect(stopped.result.status).toBe('stopped')
    const best = readCheckpoint(db, runId, 'best')
    expect(best.epoch).toBeGreaterThan(firstBest)
    // the old row is still there, from the old best checkpoint, and is not served
    expect(rows(db, runId)).toBe(1)
    expect(readTestHalfWidths(db, runId, best)).toBeUndefined()
    const moved = await testPeriod(db, runId)
    expect(moved.windows[0]!.halfWidth).not.toEqual(before.windows[0]!.halfWidth)
    forget(db, runId)
    expect(await testPeriod(db, runId)).toEqual(moved)

    requeueRun(db, runId, { pid: process.pid, token: 'test' }, getRunSummary(db, runId).config)
    await trainInProcess(db, { datasetId }, { resumeRunId: runId })
    const final = readCheckpoint(db, runId, 'best')
    expect(readTestHalfWidths(db, runId, final)?.epoch).toBe(final.epoch)
    const served = await testPeriod(db, runId)
    forget(db, runId)
    expect(await testPeriod(db, runId)).toEqual(served)
  })

  it('are not read when the best checkpoint is corrupt and the view falls back to the last one', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 3, lr: 0.01, seed: 3 })
    const best = readCheckpoint(db, runId, 'best')
    expect(readCheckpoint(db, runId, 'last').sha256).not.toBe(best.sha256)
    db.prepare(`UPDATE checkpoints SET weights_blob = zeroblob(length(weights_blob)) WHERE run_id = ? AND kind = 'best'`).run(runId)
    const fallback = await testPeriod(db, runId)
    forget(db, runId)
    expect(await testPeriod(db, runId)).toEqual(fallback)
  })
})
