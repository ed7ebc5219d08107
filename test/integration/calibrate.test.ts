import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApiHandlers, type HandlerContext } from '../../src/core/api-handlers'
import { ACI_GAMMA, historyResiduals } from '../../src/core/eval/calibrate'
import { conformalQuantile } from '../../src/core/eval/conformal'
import { originsOf, predictWindows, testSeries } from '../../src/core/eval/evaluate'
import { exportRun } from '../../src/core/eval/export-run'
import { loadRunModel } from '../../src/core/eval/inference'
import { actualBlock } from '../../src/core/eval/score'
import { getRunSummary } from '../../src/core/store/runs'
import { workspaceWithSeries } from '../helpers/datasets'
import { trainInProcess } from '../helpers/train-run'

/** Absolute residuals of the model on the windows at `starts`, with their origins. */
async function residualsOf(db: Parameters<typeof testSeries>[0], loaded: ReturnType<typeof loadRunModel>, starts: ArrayLike<number>) {
  const { data, model, series } = loaded
  const predicted = await predictWindows(model, data, series, starts)
  const origins = originsOf(data, starts)
  const actual = actualBlock(testSeries(db, data).series, origins, data.horizon)
  return origins.map((origin, w) => ({ origin, residuals: Array.from({ length: data.horizon }, (_, s) => Math.abs(actual.values[w * data.horizon + s]! - predicted.values[w * data.horizon + s]!)) }))
}

describe('interval calibration over the test part (in process, cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('calibrates each test window on the history, validation and earlier test residuals known at its origin', async () => {
    const { db, datasetId } = workspaceWithSeries(240, 1)
    const horizon = 3
    const { runId } = await trainInProcess(db, { datasetId, horizon, epochs: 2, lr: 0.01 })
    const run = getRunSummary(db, runId)
    const loaded = loadRunModel(db, runId, 'best')
    try {
      const { data, model, series } = loaded
      const history = historyResiduals(model, data, series, null)!
      const pool = [
        ...originsOf(data, history.starts).map((origin, w) => ({ origin, residuals: Array.from(history.residuals.subarray(w * horizon, (w + 1) * horizon)) })),
        ...(await residualsOf(db, loaded, data.split.val)),
      ]
      const test = await residualsOf(db, loaded, data.split.test)
      expect(run.metrics!.intervals!.calibratedOn).toEqual({ history: history.starts.length, validation: data.split.val.length, test: test.length, latest: 5000, gamma: ACI_GAMMA })
      const period = await createApiHandlers({ db, emit: () => {} } as unknown as HandlerContext).getTestPeriod(runId)
      expect(period.windows.length).toBe(test.length)
      // step s (1…H) of a window with origin p is known at origin o when p + s ≤ o; ACI's
      // miscoverage at o is α + γ·Σ(α − err) over the test windows known by then, in order
      const expected = (origin: number, s: number, level: number) => {
        let alpha = 1 - level / 100
        test.forEach((w, j) => {
          if (w.origin + s > origin) return
          const err = w.residuals[s - 1]! > period.windows[j]!.halfWidth![String(level)]![s - 1]! ? 1 : 0
          alpha = alpha + ACI_GAMMA * (1 - level / 100 - err)
        })
        return conformalQuantile([...pool, ...test].filter((w) => w.origin + s <= origin).map((w) => w.residuals[s - 1]!), 100 * (1 - alpha))
      }
      let inside = 0
      period.windows.forEach((w, i) => {
        for (let s = 1; s <= horizon; s++) {
          expect(w.halfWidth!['80']![s - 1]).toBe(expected(test[i]!.origin, s, 80))
          expect(w.halfWidth!['95']![s - 1]).toBe(expected(test[i]!.origin, s, 95))
          if (test[i]!.residuals[s - 1]! <= w.halfWidth!['80']![s - 1]!) inside++
        }
      })
      // the earlier test windows joined: the intervals move through the test part
      expect(period.windows.some((w) => w.halfWidth!['80']![0] !== period.windows[0]!.halfWidth!['80']![0])).toBe(true)
      expect(run.metrics!.coverage!['80']).toBeCloseTo(inside / (test.length * horizon), 12)
      // the forecast's intervals: every residual, all known by the end
      expect(run.metrics!.intervals!.halfWidth['80']).toEqual(Array.from({ length: horizon }, (_, s) => expected(Infinity, s + 1, 80)))

      // the test export's bounds are the same per-window intervals
      const path = join(mkdtempSync(join(tmpdir(), 'clipcast-calibrate-')), 'test.csv')
      await exportRun(db, { runId, what: 'test', path })
      const rows = parse(readFileSync(path, 'utf8'), { columns: true }) as Array<Record<string, string>>
      expect(Object.keys(rows[0]!)).toEqual(['origin', 'time', 'step', 'v0', 'v0_pred', 'v0_lo80', 'v0_hi80', 'v0_lo95', 'v0_hi95'])
      rows.forEach((row, r) => {
        const w = Math.floor(r / horizon)
        const s = Number(row.step)
        expect(Number(row.v0_hi95) - Number(row.v0_pred)).toBeCloseTo(period.windows[w]!.halfWidth!['95']![s - 1]!, 9)
        expect(Number(row.v0_pred) - Number(row.v0_lo80)).toBeCloseTo(period.windows[w]!.halfWidth!['80']![s - 1]!, 9)
      })
    } finally {
      loaded.dispose()
    }
  })
})
