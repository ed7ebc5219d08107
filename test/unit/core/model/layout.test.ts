import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseGridColumns } from '../../../../src/core/model/grid'
import { toModelInput } from '../../../../src/core/model/layout'
import type { ModelSpec } from '../../../../src/core/model/spec'

const spec = (layout: ModelSpec['layout'], inputShape: ModelSpec['inputShape']): ModelSpec => ({ layout, inputShape, layers: 1, filters: 1, kernel: 3, norm: 'none', init: 'glorot', horizon: 1, targets: 1, seed: 1 })

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('toModelInput', () => {
  it('cuts each window into sub-sequences: step s·nSteps + k lands at [s, 0, k]', () => {
    // 2 windows, lookback 6, 2 variables (value = 100·window + 10·step + variable)
    const windows = Float32Array.from({ length: 2 * 6 * 2 }, (_, k) => 100 * Math.floor(k / 12) + 10 * Math.floor((k % 12) / 2) + (k % 2))
    const x = toModelInput(windows, 2, spec('subseq', [2, 1, 3, 2]))
    expect(x.shape).toEqual([2, 2, 1, 3, 2])
    const values = x.arraySync()
    expect(values[1]?.[1]?.[0]?.[2]).toEqual([150, 151]) // window 1, sub-sequence 1, step 2 → time 5
    x.dispose()
  })

  it('places grid columns at their cells', () => {
    const names = ['t[0,1]', 't[0,0]', 'w[0,0]', 'w[0,1]']
    const grid = parseGridColumns(names)
    // one window of 2 steps; value = 10·step + column index
    const windows = Float32Array.from({ length: 2 * 4 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4))
    const x = toModelInput(windows, 1, spec('grid', [2, 1, 2, 2]), grid.order)
    expect(x.arraySync()[0]?.[1]).toEqual([[[11, 12], [10, 13]]]) // step 1: cell (0,0) = t[0,0], w[0,0]; (0,1) = t[0,1], w[0,1]
    x.dispose()
  })

  it('refuses windows that do not fit the spec, and a grid without its column order', () => {
    expect(() => toModelInput(new Float32Array(5), 1, spec('subseq', [2, 1, 3, 1]))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    expect(() => toModelInput(new Float32Array(4), 1, spec('grid', [1, 2, 2, 1]))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
