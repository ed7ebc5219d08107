import * as tf from '@tensorflow/tfjs'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { exportRun } from '../../src/core/eval/export-run'
import { testPeriod } from '../../src/core/eval/test-period'
import { runTestForecasts } from '../../src/core/eval/test-forecasts'
import { readCheckpoint } from '../../src/core/store/checkpoints'
import { readTestHalfWidths } from '../../src/core/store/test-half-widths'
import type { Db } from '../../src/core/store/workspace'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

// every number as JSON writes it (the shortest string that reads back to the same double), hashed:
// one changed digit of any output changes the digest
const digest = (value: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)))
    .digest('hex')
    .slice(0, 16)

/** Counts the reads of a stored column's chunks (readColumn, readTimes) by column index; the reads go through. */
function countColumnReads(db: Db): Map<number, number> {
  const counts = new Map<number, number>()
  const prepare = db.prepare.bind(db)
  vi.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
    const statement = prepare(sql)
    if (!sql.includes('FROM dataset_chunks')) return statement
    const all = statement.all.bind(statement)
    return Object.assign(statement, { all: (...args: unknown[]) => (counts.set(args[1] as number, (counts.get(args[1] as number) ?? 0) + 1), all(...args)) })
  }) as typeof db.prepare)
  return counts
}

async function testCsv(db: Db, runId: number): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'clipcast-read-pin-')), 'test.csv')
  await exportRun(db, { runId, what: 'test', path })
  return readFileSync(path, 'utf8')
}

// the outputs of the callers of the test-window loop on one tiny run, pinned before that loop
// became one function (src/core/eval/evaluate.ts): a change there that moves any number fails here
describe('what a finished run reads back from its test windows (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('gives the pinned evaluation, test export, test period and Compare forecasts, with stored and with recomputed half-widths', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 2)
    const { runId, detail } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01, seed: 5 })
    const stored = readTestHalfWidths(db, runId, readCheckpoint(db, runId, 'best'))!
    expect(detail.metrics!.mae).toBe(PINNED.mae)
    expect({
      evaluation: digest({ metrics: detail.metrics, baselines: detail.baselines }),
      halfWidths: digest(stored.halfWidth),
      csv: digest(await testCsv(db, runId)),
      period: digest(await testPeriod(db, runId)),
      forecasts: digest(await runTestForecasts(db, runId)),
    }).toEqual(PINNED.digests)

    db.prepare('DELETE FROM run_test_intervals WHERE run_id = ?').run(runId)
    expect(digest(await testCsv(db, runId))).toBe(PINNED.digests.csv)
    expect(digest(await testPeriod(db, runId))).toBe(PINNED.digests.period)
  })

  it('reads each test column once per request, beside the scaled reader\'s own read of it', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01, seed: 5 })
    db.prepare('DELETE FROM run_test_intervals WHERE run_id = ?').run(runId)
    const reads = countColumnReads(db)
    const counted = async (request: () => Promise<unknown>): Promise<number> => {
      reads.clear()
      await request()
      return reads.get(0)!
    }
    // without stored half-widths the calibration is walked again over the same actuals; the data
    // plan (planTrainingData) and the scaled reader (seriesFor) read the column once each besides
    expect({ period: await counted(() => testPeriod(db, runId)), csv: await counted(() => testCsv(db, runId)), forecasts: await counted(() => runTestForecasts(db, runId)) }).toEqual({ period: 3, csv: 3, forecasts: 3 })
  })
})

const PINNED = {
  mae: 0.11529702227425044,
  digests: { evaluation: '54affbb865ac0bfe', halfWidths: '95d4ca14aa31727c', csv: 'c3de527433e6e6d9', period: '23f3c471044715f9', forecasts: '224db7619b739488' },
}
