import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApiHandlers, type HandlerContext } from '../../src/core/api-handlers'
import { readColumn, readTimes } from '../../src/core/store/datasets'
import { getRunSummary, setRunMetrics } from '../../src/core/store/runs'
import { planTrainingData } from '../../src/core/data/training-data'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

describe('the test period of a run (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('returns every test window\'s prediction beside the observed rows, scoring the stored test MAE', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const { runId } = await trainInProcess(db, { datasetId, horizon: 3, epochs: 2, lr: 0.01 })
    const api = createApiHandlers({ db, emit: () => {} } as unknown as HandlerContext)
    const period = await api.getTestPeriod(runId)
    const run = getRunSummary(db, runId)
    const data = planTrainingData(db, run.config)
    const test = data.split.test
    expect(period.targets).toEqual(['v0'])
    expect(period.horizon).toBe(3)
    expect(period.windows.length).toBe(test.length)
    expect(period.totalWindows).toBe(test.length)
    // the first window's origin is the first row shown; the last one's last step the last row
    const first = test[0]! + data.lookback - 1
    const times = readTimes(db, datasetId)
    const column = readColumn(db, datasetId, 'v0')
    expect(period.actual.time[0]).toBe(new Date(times[first]!).toISOString())
    expect(period.actual.time.length).toBe(test[test.length - 1]! - test[0]! + 3 + 1)
    expect(period.actual.values.v0).toEqual(period.actual.time.map((_, i) => column[first + i]))
    expect(period.windows.map((w) => w.at)).toEqual(Array.from(test, (start) => start - test[0]!))
    let sum = 0
    for (const w of period.windows) for (let s = 1; s <= 3; s++) sum += Math.abs(period.actual.values.v0![w.at + s]! - w.predicted.v0![s - 1]!)
    expect(sum / (period.windows.length * 3)).toBeCloseTo(run.metrics!.mae, 5)
    expect(period.intervals).toEqual(run.metrics!.intervals)
    expect(Object.keys(period.intervals!.halfWidth)).toEqual(['80', '95'])
    // each window carries its own half-widths (calibrate.test.ts pins their values)
    expect(period.windows.every((w) => w.halfWidth!['80']!.length === 3 && w.halfWidth!['95']!.length === 3)).toBe(true)

    // a run evaluated before the online calibration keeps the fixed bands its coverage scored
    const { calibratedOn: _, ...fixed } = run.metrics!.intervals!
    setRunMetrics(db, runId, { ...run.metrics, intervals: fixed })
    const old = await api.getTestPeriod(runId)
    expect(old.intervals).toEqual(fixed)
    expect(old.windows.every((w) => w.halfWidth === undefined)).toBe(true)
  })
})
