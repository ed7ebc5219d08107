import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createModel, type ConvLstmModel } from '../../../../src/core/model/convlstm'
import { modelSpecFromConfig, type ModelSpec } from '../../../../src/core/model/spec'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import { weightsOf } from '../../../helpers/weights'

// lookback 4 as 2 × 2 steps of two variables; column 1 is the one target; horizon 3
const spec: ModelSpec = { layout: 'subseq', inputShape: [2, 1, 2, 2], layers: 1, filters: 1, kernel: 1, norm: 'none', init: 'glorot', horizon: 3, targets: 1, seed: 4, highway: true, recursive: { targetColumns: [1] } }
// rows (v0, v1): (10, 1), (20, 2), (30, 3), (40, 4)
const window = [10, 1, 20, 2, 30, 3, 40, 4]

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A model whose ConvLSTM part is silenced (zero head kernel), head bias 0.5, and this highway ([8 inputs, 1 output]). */
function linearModel(highway: Record<number, number>): ConvLstmModel {
  const model = createModel(spec)
  const weights = weightsOf(model)
  weights.set('head/kernel', new Float32Array(2))
  weights.set('head/bias', Float32Array.from([0.5]))
  const kernel = new Float32Array(8)
  for (const [at, value] of Object.entries(highway)) kernel[Number(at)] = value
  weights.set('highway/kernel', kernel)
  model.setWeights(weights)
  return model
}

const x = () => tf.tensor5d(window, [1, 2, 1, 2, 2])

describe('the recursive head', () => {
  it('feeds each step back as the next row, the other columns held at their last value', () => {
    // y = 0.5 + 1 · (target at the last row) + 0.1 · (v0 at the last row)
    const model = linearModel({ 7: 1, 6: 0.1 })
    try {
      // 0.5 + 4 + 4 = 8.5; then 0.5 + 8.5 + 4 = 13; then 0.5 + 13 + 4 = 17.5
      expect(tf.tidy(() => Array.from(model.predict(x()).dataSync()))).toEqual([8.5, 13, 17.5])
    } finally {
      model.dispose()
    }
  })

  it('moves the window on by one row per step', () => {
    // reads the target one row before the last: 3, then 4, then step 1's 3.5
    const model = linearModel({ 5: 1 })
    try {
      expect(tf.tidy(() => Array.from(model.predict(x()).dataSync()))).toEqual([3.5, 4.5, 4])
    } finally {
      model.dispose()
    }
  })

  it('differentiates through every unroll', () => {
    // y1 = 0.5 + 4w, y2 = 0.5 + w·y1, y3 = 0.5 + w·y2 at w = 1: d(y1 + y2 + y3)/dw = 4 + 8.5 + 13.5
    const model = linearModel({ 7: 1 })
    try {
      const highway = model.variables[model.variableNames.indexOf('highway/kernel')]!
      const grad = tf.tidy(() => {
        const input = x()
        const { grads } = tf.variableGrads(() => tf.sum(model.predict(input)) as tf.Scalar, [highway])
        return Array.from(grads[highway.name]!.dataSync())
      })
      expect(grad[7]).toBeCloseTo(26, 4)
      // v0 stays 40 in every row: d/dw6 of y1, y2, y3 = 40, 40 + 40, 80 + 40
      expect(grad[6]).toBeCloseTo(240, 3)
    } finally {
      model.dispose()
    }
  })

  it('has a head of one step per target and refuses the grid layout', () => {
    const model = createModel(spec)
    try {
      expect(model.weightShapes().filter((w) => w.name !== 'layer0/kernel' && w.name !== 'layer0/bias')).toEqual([
        { name: 'head/kernel', shape: [2, 1] },
        { name: 'head/bias', shape: [1] },
        { name: 'highway/kernel', shape: [8, 1] },
      ])
    } finally {
      model.dispose()
    }
    const config = RunConfigSchema.parse({ datasetId: 1, lookback: 4, horizon: 3, head: 'recursive', layout: 'grid' })
    expect(() => modelSpecFromConfig(config, 2, { rows: 1, cols: 1, features: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    expect(modelSpecFromConfig({ ...config, layout: 'subseq', targets: ['b'] }, 2, undefined, [1]).recursive).toEqual({ targetColumns: [1] })
  })

  it('leaks no tensors', () => {
    const model = linearModel({ 7: 1 })
    try {
      const input = x()
      const run = () => tf.tidy(() => {
        model.predict(input)
      })
      run()
      const before = tf.memory().numTensors
      run()
      run()
      expect(tf.memory().numTensors).toBe(before)
      input.dispose()
    } finally {
      model.dispose()
    }
  })
})
