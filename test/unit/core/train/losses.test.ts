import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { computeLoss } from '../../../../src/core/train/losses'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

// differences d = p − y = [−1, 2, 0.5, 0]
const loss = (kind: 'mse' | 'mae' | 'huber') =>
  tf.tidy(() => computeLoss(kind, tf.tensor3d([0, 2, 0.5, 3], [1, 2, 2]), tf.tensor3d([1, 0, 0, 3], [1, 2, 2])).dataSync()[0])

describe('computeLoss', () => {
  it('mse is the mean squared difference', () => {
    expect(loss('mse')).toBeCloseTo((1 + 4 + 0.25 + 0) / 4, 6)
  })

  it('mae is the mean absolute difference', () => {
    expect(loss('mae')).toBeCloseTo((1 + 2 + 0.5 + 0) / 4, 6)
  })

  it('huber is quadratic up to |d| = 1 and linear beyond, as torch HuberLoss(delta=1)', () => {
    // ½·1, 2 − ½, ½·0.25, 0
    expect(loss('huber')).toBeCloseTo((0.5 + 1.5 + 0.125 + 0) / 4, 6)
  })

  it('leaks no tensors', () => {
    const before = tf.memory().numTensors
    for (const kind of ['mse', 'mae', 'huber'] as const) loss(kind)
    expect(tf.memory().numTensors).toBe(before)
  })
})
