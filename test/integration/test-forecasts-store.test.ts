import * as tf from '@tensorflow/tfjs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src/core/api-handlers'
import { runTestForecasts } from '../../src/core/eval/test-forecasts'
import { PathGrants } from '../../src/core/path-grants'
import { readCheckpoint, writeCheckpoint } from '../../src/core/store/checkpoints'
import { deleteRun } from '../../src/core/store/runs'
import { readTestForecasts, writeTestForecasts } from '../../src/core/store/test-forecasts'
import { openWorkspace, type Db } from '../../src/core/store/workspace'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

const rows = (db: Db, runId: number): number => (db.prepare('SELECT count(*) AS n FROM run_test_forecasts WHERE run_id = ?').get(runId) as { n: number }).n

function api(db: Db, path: string) {
  return createApiHandlers({ db, workspacePath: path, host: 'browser', version: 'test', emit: () => {}, grants: new PathGrants(true), uploadDir: join(mkdtempSync(join(tmpdir(), 'clipcast-forecasts-up-')), 'up') })
}

describe("Compare's stored test forecasts (in process, cpu, a real workspace file)", () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('are stored when first computed and read back from the reopened file exactly', async () => {
    const { db, path, datasetId } = workspaceWithSeries(240, 2)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01 })
    expect(readTestForecasts(db, runId)).toBeUndefined()
    const computed = await runTestForecasts(db, runId)
    db.close()
    const reopened = openWorkspace(path)
    expect(readTestForecasts(reopened, runId)).toEqual(computed)
    expect(readTestForecasts(reopened, runId)!.mae[1]![2]).toBe(computed.mae[1]![2])
    deleteRun(reopened, runId)
    expect(rows(reopened, runId)).toBe(0)
  })

  it('are what getTestForecasts serves, until the best checkpoint moves: then it computes them again', async () => {
    const { db, path, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01 })
    const handlers = api(db, path)
    const first = await handlers.getTestForecasts(runId)
    expect(readTestForecasts(db, runId)).toEqual(first)

    // what is stored is what is served: halved in the store, halved in the answer
    const best = readCheckpoint(db, runId, 'best')
    const halved = { ...first, mae: first.mae.map((steps) => steps.map((v) => (v === null ? null : v / 2))) }
    writeTestForecasts(db, runId, best, halved)
    expect(await handlers.getTestForecasts(runId)).toEqual(halved)

    // the best checkpoint rewritten (same weights, another epoch, as a resume to a new best would): the row is stale
    writeCheckpoint(db, runId, 'best', { ...best, epoch: best.epoch + 1 })
    expect(readTestForecasts(db, runId)).toBeUndefined()
    expect(await handlers.getTestForecasts(runId)).toEqual(first)
    expect(readTestForecasts(db, runId)).toEqual(first)

    // forecasts made from another checkpoint than the run's best are never served as its best's
    writeTestForecasts(db, runId, readCheckpoint(db, runId, 'last'), halved)
    expect(readTestForecasts(db, runId)).toBeUndefined()
  })
})
