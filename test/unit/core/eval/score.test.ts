import { describe, expect, it } from 'vitest'
import { actualBlock, createTestScorer, finishScore, scoreBatch, scoreTest, type TestSet } from '../../../../src/core/eval/score'

// y_t = t for target "up", a period-3 pattern for target "wave"
const up = Float64Array.from({ length: 30 }, (_, t) => t)
const wave = Float64Array.from({ length: 30 }, (_, t) => [1, 5, 3][t % 3]!)

function set(origins: number[], horizon: number, trainEndRow: number): TestSet {
  const series = [up, wave]
  return { targets: ['up', 'wave'], origins, horizon, actual: actualBlock(series, origins, horizon), series, trainEndRow, lookback: 3 }
}

describe('actualBlock', () => {
  it('reads the rows after each origin, step by step and target by target', () => {
    const block = actualBlock([up, wave], [4], 2)
    // rows 5 and 6: up 5, 6; wave [5%3=2 → 3], [6%3=0 → 1]
    expect(Array.from(block.values)).toEqual([5, 3, 6, 1])
  })

  it('marks steps past the end of the series as missing', () => {
    expect(Number.isNaN(actualBlock([up], [29], 1).values[0])).toBe(true)
  })
})

describe('scoreTest', () => {
  it('scores a perfect model at zero and both baselines at their known errors, on the same windows', () => {
    const test = set([20, 23, 26], 3, 19)
    const perfect = { ...test.actual, values: test.actual.values.slice() }
    const { metrics, baselines, season } = scoreTest(test, perfect, 3)
    expect(season).toBe(3)
    expect(metrics.mae).toBe(0)
    expect(metrics.mase).toBe(0)
    // naive on "up" misses by h at step h; the seasonal naive on "up" misses by 3 at every step
    expect(baselines.naive!.perTarget.up!.mae).toBe(2)
    expect(baselines.seasonalNaive!.perTarget.up!.mae).toBe(3)
    // the seasonal naive is exact on the period-3 wave
    expect(baselines.seasonalNaive!.perTarget.wave!.mae).toBe(0)
    // naive scale of "up" on the training rows is 1: MASE of the naive = 2
    expect(baselines.naive!.perTarget.up!.mase).toBe(2)
    // wave's training naive MAE over rows 0…18: |5-1|, |3-5|, |1-3| six times → 8/3
    expect(baselines.naive!.perTarget.wave!.mase).toBeCloseTo(baselines.naive!.perTarget.wave!.mae / (8 / 3), 12)
    expect(baselines.naive!.perHorizon.map((p) => p.step)).toEqual([1, 2, 3])
  })

  it('leaves out the seasonal-naive baseline when the series has no season', () => {
    const test = set([20], 2, 18)
    expect(Object.keys(scoreTest(test, test.actual, null).baselines)).toEqual(['naive', 'drift'])
  })

  it('reads the MASE scale from the training rows only', () => {
    const series = [Float64Array.from([1, 1, 1, 1, 9, 0, 9, 0])]
    const test: TestSet = { targets: ['y'], origins: [5], horizon: 2, actual: actualBlock(series, [5], 2), series, trainEndRow: 4, lookback: 2 }
    // constant training rows: MASE undefined although the test rows vary
    expect(scoreTest(test, test.actual, null).metrics.mase).toBeNull()
  })
})

describe('scoreBatch', () => {
  it('scores the model and both baselines batch by batch exactly as in one batch', () => {
    const test = set([17, 19, 20, 23, 26], 3, 16)
    // an imperfect model with one missing prediction
    const predicted = { ...test.actual, values: test.actual.values.map((v, i) => (i === 7 ? NaN : v + ((i * 7) % 5) - 2.5)) }
    const oneShot = scoreTest(test, predicted, 3)
    const scorer = createTestScorer(test, 3)
    const perWindow = 3 * 2
    for (const [from, to] of [[0, 2], [2, 3], [3, 5]] as const) {
      scoreBatch(scorer, test.origins.slice(from, to), { ...predicted, values: predicted.values.subarray(from * perWindow, to * perWindow), windows: to - from })
    }
    expect(finishScore(scorer)).toStrictEqual(oneShot)
    expect(oneShot.metrics.mae).toBeGreaterThan(0)
  })
})
