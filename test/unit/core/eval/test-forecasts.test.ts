import { describe, expect, it } from 'vitest'
import { alignTestForecasts, maeByTargetStep } from '../../../../src/core/eval/test-forecasts'
import type { ForecastBlock } from '../../../../src/core/eval/metrics'

/** [windows][steps][targets] → a row-major block. */
function block(values: number[][][]): ForecastBlock {
  return { values: Float64Array.from(values.flat(2)), windows: values.length, horizon: values[0]!.length, targets: values[0]![0]!.length }
}

// three test windows with a gap between the second and the third (origins 3, 4, 6), horizon 2,
// targets y and z; y is missing at row 6
const origins = [3, 4, 6]
const actual = block([
  [[10, 1], [11, 1]],
  [[11, 1], [NaN, 1]],
  [[13, 1], [14, 1]],
])
const predicted = block([
  [[9, 1], [13, 2]],
  [[12, 0], [7, 1]],
  [[13.5, 3], [15, 1]],
])
const times = Array.from({ length: 10 }, (_, row) => row * 3_600_000)
const iso = (row: number) => new Date(row * 3_600_000).toISOString()

describe('test-period forecasts', () => {
  it('takes the MAE per target and step over the finite pairs of every window', () => {
    // y: step 1 (1 + 1 + 0.5) / 3, step 2 (2 + 1) / 2 with the missing pair left out; z: (0 + 1 + 2) / 3, (1 + 0 + 0) / 3
    expect(maeByTargetStep(actual, predicted)).toEqual([
      [2.5 / 3, 1.5],
      [1, 1 / 3],
    ])
  })

  it('has no MAE for a cell without a finite pair', () => {
    const gone = block([[[NaN], [1]]])
    expect(maeByTargetStep(gone, block([[[1], [3]]]))).toEqual([[null, 2]])
  })

  it('lays each window\'s step s forecast on the row s + 1 after its origin, with the actual values', () => {
    const aligned = alignTestForecasts({ runId: 7, datasetId: 3, targets: ['y', 'z'], origins, actual, predicted, times })
    expect(aligned.time).toEqual([4, 5, 6, 7, 8].map(iso))
    expect(aligned.actual).toEqual({ y: [10, 11, null, 13, 14], z: [1, 1, 1, 1, 1] })
    expect(aligned.predicted.y).toEqual([
      [9, 12, null, 13.5, null],
      [null, 13, 7, null, 15],
    ])
    expect(aligned.predicted.z).toEqual([
      [1, 0, null, 3, null],
      [null, 2, 1, null, 1],
    ])
    expect(aligned).toMatchObject({ runId: 7, horizon: 2, windows: 3, drawnWindows: 3 })
  })

  it('draws only the latest windows when told, and keeps the MAE over all of them', () => {
    const aligned = alignTestForecasts({ runId: 7, datasetId: 3, targets: ['y', 'z'], origins, actual, predicted, times, maxWindows: 2 })
    expect(aligned.time).toEqual([5, 6, 7, 8].map(iso))
    expect(aligned.predicted.y).toEqual([
      [12, null, 13.5, null],
      [null, 7, null, 15],
    ])
    expect(aligned.drawnWindows).toBe(2)
    expect(aligned.mae).toEqual(maeByTargetStep(actual, predicted))
  })
})
