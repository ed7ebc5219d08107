import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createModel } from '../../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { weightPenalty } from '../../../../src/core/train/regularization'
import { isPenalised } from '../../../../src/core/train/regularization'
import { weightsOf } from '../../../helpers/weights'

// lookback 4 as 2 sub-sequences of 2 steps, one variable; horizon 2, one target
const spec: ModelSpec = { layout: 'subseq', inputShape: [2, 1, 2, 1], layers: 1, filters: 1, kernel: 1, norm: 'none', init: 'glorot', horizon: 2, targets: 1, seed: 3, highway: true }

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function outputs(withHighway: boolean, highway: number[]): number[] {
  const model = createModel({ ...spec, highway: withHighway })
  try {
    const weights = weightsOf(model)
    // the ConvLSTM part is silenced: a zero head kernel ([cols·filters = 2, 2]), head bias (0.5, -1)
    weights.set('head/kernel', new Float32Array(2 * 2))
    weights.set('head/bias', Float32Array.from([0.5, -1]))
    if (withHighway) weights.set('highway/kernel', Float32Array.from(highway))
    model.setWeights(weights)
    return tf.tidy(() => {
      const x = tf.tensor5d([1, 2, 3, 4], [1, 2, 1, 2, 1])
      return Array.from(model.predict(x).dataSync())
    })
  } finally {
    model.dispose()
  }
}

describe('the linear highway', () => {
  it('adds window × kernel to the head output for every horizon step', () => {
    // kernel [4 inputs, 2 outputs] row-major: step 1 reads the last value, step 2 is 2·x4 − x3
    const kernel = [0, 0, 0, 0, 0, -1, 1, 2]
    expect(outputs(true, kernel)).toEqual([0.5 + 4, -1 + (8 - 3)])
    expect(outputs(false, kernel)).toEqual([0.5, -1])
  })

  it('starts at zero, has its own variable and is penalised by L1/L2', () => {
    const model = createModel(spec)
    try {
      expect(model.variableNames.slice(-3)).toEqual(['head/kernel', 'head/bias', 'highway/kernel'])
      expect(model.weightShapes().at(-1)).toEqual({ name: 'highway/kernel', shape: [4, 2] })
      expect(Array.from(weightsOf(model).get('highway/kernel')!)).toEqual(new Array(8).fill(0))
      expect(isPenalised('highway/kernel')).toBe(true)
      const penalty = tf.tidy(() => weightPenalty([tf.tensor([1, -2])], 0.1, 0.01).dataSync()[0])
      expect(penalty).toBeCloseTo(0.1 * 3 + 0.01 * 5, 6)
    } finally {
      model.dispose()
    }
  })

  it('refuses a highway-less checkpoint for a model with a highway', () => {
    const plain = createModel({ ...spec, highway: false })
    const withHighway = createModel(spec)
    try {
      expect(() => withHighway.setWeights(weightsOf(plain))).toThrow(/highway\/kernel/)
    } finally {
      plain.dispose()
      withHighway.dispose()
    }
  })

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors
    outputs(true, [1, 0, 0, 0, 0, 0, 0, 1])
    outputs(true, [1, 0, 0, 0, 0, 0, 0, 1])
    expect(tf.memory().numTensors).toBe(before)
  })
})
