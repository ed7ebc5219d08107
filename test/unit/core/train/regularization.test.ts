import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { isPenalised, weightPenalty } from '../../../../src/core/train/regularization'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const penalty = (l1: number, l2: number) => tf.tidy(() => weightPenalty([tf.tensor1d([1, -2]), tf.tensor2d([[3]])], l1, l2).dataSync()[0])

describe('weightPenalty', () => {
  it('is l1·Σ|w| for L1', () => {
    expect(penalty(0.1, 0)).toBeCloseTo(0.1 * 6, 6)
  })

  it('is l2·Σw² for L2, without a ½', () => {
    expect(penalty(0, 0.01)).toBeCloseTo(0.01 * 14, 6)
  })

  it('adds both and is zero when both are off', () => {
    expect(penalty(0.1, 0.01)).toBeCloseTo(0.6 + 0.14, 6)
    expect(penalty(0, 0)).toBe(0)
  })

  it('penalises kernels only, not biases or layer-norm gains and shifts', () => {
    expect(['layer0/kernel', 'layer3/kernel', 'head/kernel'].every(isPenalised)).toBe(true)
    expect(['layer0/bias', 'layer0/gamma', 'layer0/cellGamma', 'layer0/cellBeta', 'head/bias'].some(isPenalised)).toBe(false)
  })
})
