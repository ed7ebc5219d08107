import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import { createModel } from '../../../../src/core/model/convlstm'
import { toModelInput } from '../../../../src/core/model/layout'
import { chooseSubseq, modelSpecFromConfig } from '../../../../src/core/model/spec'

const config = (over: Record<string, unknown> = {}) => RunConfigSchema.parse({ datasetId: 1, ...over })

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('chooseSubseq', () => {
  it('picks the divisor of the lookback nearest its square root', () => {
    expect(chooseSubseq(48)).toEqual({ nSeq: 6, nSteps: 8 })
    expect(chooseSubseq(36)).toEqual({ nSeq: 6, nSteps: 6 })
    expect(chooseSubseq(24)).toEqual({ nSeq: 4, nSteps: 6 })
    expect(chooseSubseq(12)).toEqual({ nSeq: 3, nSteps: 4 }) // √12 ≈ 3.46
    expect(chooseSubseq(47)).toEqual({ nSeq: 1, nSteps: 47 })
  })

  it('takes a requested count that divides the lookback and refuses one that does not', () => {
    expect(chooseSubseq(48, 4)).toEqual({ nSeq: 4, nSteps: 12 })
    expect(() => chooseSubseq(48, 5)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    expect(() => chooseSubseq(48, 0)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})

describe('modelSpecFromConfig', () => {
  it('lays a tabular series out as [nSeq, 1, nSteps, vars] with every column a target by default', () => {
    const spec = modelSpecFromConfig(config({ lookback: 24, horizon: 6, filters: 8, layers: 2, norm: 'layer', init: 'he', seed: 3 }), 5)
    expect(spec).toEqual({ layout: 'subseq', inputShape: [4, 1, 6, 5], layers: 2, filters: 8, kernel: 3, norm: 'layer', init: 'he', horizon: 6, targets: 5, seed: 3, highway: true })
    expect(modelSpecFromConfig(config({ lookback: 24, highway: 'off' }), 5).highway).toBe(false)
    expect(modelSpecFromConfig(config({ lookback: 24, subseq: 3, targets: ['a', 'b'] }), 5)).toMatchObject({ inputShape: [3, 1, 8, 5], targets: 2 })
  })

  it('lays a grid out as [lookback, H, W, features] and needs the grid shape', () => {
    const spec = modelSpecFromConfig(config({ layout: 'grid', lookback: 10 }), 12, { rows: 2, cols: 3, features: 2 })
    expect(spec).toMatchObject({ layout: 'grid', inputShape: [10, 2, 3, 2], targets: 12 })
    expect(() => modelSpecFromConfig(config({ layout: 'grid' }), 12)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })

  it('gives a different model and prediction for the same window when the layout changes', () => {
    // one variable over a lookback of 4: subseq [2, 1, 2, 1] (recurrence over 2 sub-sequences) vs a 1×1 grid [4, 1, 1, 1]
    const window = new Float32Array([0.5, -1, 2, 0.25])
    const subseq = modelSpecFromConfig(config({ lookback: 4, horizon: 2, filters: 2 }), 1)
    const grid = modelSpecFromConfig(config({ layout: 'grid', lookback: 4, horizon: 2, filters: 2 }), 1, { rows: 1, cols: 1, features: 1 })
    expect(subseq.inputShape).toEqual([2, 1, 2, 1])
    expect(grid.inputShape).toEqual([4, 1, 1, 1])
    const outputs = [subseq, grid].map((spec) => {
      const model = createModel(spec)
      const x = toModelInput(window, 1, spec, spec.layout === 'grid' ? [0] : undefined)
      const y = tf.tidy(() => Array.from(model.predict(x).dataSync()))
      x.dispose()
      model.dispose()
      return y
    })
    expect(Math.max(...(outputs[0] as number[]).map((v, k) => Math.abs(v - (outputs[1]?.[k] as number))))).toBeGreaterThan(1e-4)
  })
})
