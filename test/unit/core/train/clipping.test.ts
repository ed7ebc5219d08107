import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { clipByGlobalNorm, clipByTensorNorm, clipByValue, globalNorm } from '../../../../src/core/train/clipping'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** grads [3] and [[4, 0], [0, 12]]: global norm √(9 + 16 + 144) = 13 */
const gradients = () => [tf.tensor1d([3]), tf.tensor2d([[4, 0], [0, 12]])]
const values = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()))

describe('globalNorm', () => {
  it('is the L2 norm over every element of every gradient', () => {
    const grads = gradients()
    const norm = globalNorm(grads)
    expect(norm.dataSync()[0]).toBeCloseTo(13, 5)
    tf.dispose([...grads, norm])
  })
})

describe('clipByGlobalNorm', () => {
  it('rescales every gradient by threshold / norm above the threshold', () => {
    const grads = gradients()
    const clipped = clipByGlobalNorm(grads, 6.5)
    // scale 6.5 / 13 = 0.5
    const [a, b] = values(clipped)
    expect(a?.[0]).toBeCloseTo(1.5, 6)
    expect(b?.map((v) => Number(v.toFixed(6)))).toEqual([2, 0, 0, 6])
    const after = globalNorm(clipped)
    expect(after.dataSync()[0]).toBeCloseTo(6.5, 5) // exactly the threshold, not threshold·norm/(norm + 1e-6)
    tf.dispose([...grads, ...clipped, after])
  })

  it('leaves gradients unchanged at or below the threshold', () => {
    const grads = gradients()
    for (const threshold of [13, 100]) {
      const clipped = clipByGlobalNorm(grads, threshold)
      expect(values(clipped)).toEqual(values(grads))
      tf.dispose(clipped)
    }
    tf.dispose(grads)
  })

  it('uses a norm it is given instead of computing one', () => {
    const grads = gradients()
    const clipped = clipByGlobalNorm(grads, 1, 2) // scale 1/2 whatever the real norm
    expect(values(clipped)[0]?.[0]).toBeCloseTo(1.5, 6)
    tf.dispose([...grads, ...clipped])
  })
})

describe('clipByValue', () => {
  it('clamps each element to ±threshold and leaves the rest alone', () => {
    const grads = [tf.tensor1d([-3, 0.5, 2, -0.25])]
    const clipped = clipByValue(grads, 1)
    expect(values(clipped)).toEqual([[-1, 0.5, 1, -0.25]])
    tf.dispose([...grads, ...clipped])
  })

  it('is a no-op when every element is within the threshold', () => {
    const grads = gradients()
    const clipped = clipByValue(grads, 12)
    expect(values(clipped)).toEqual(values(grads))
    tf.dispose([...grads, ...clipped])
  })
})

describe('clipping memory', () => {
  it('leaves only the returned tensors behind', () => {
    const grads = gradients()
    const before = tf.memory().numTensors
    for (let k = 0; k < 2; k++) {
      tf.dispose(clipByGlobalNorm(grads, 1))
      tf.dispose(clipByGlobalNorm(grads, 100))
      tf.dispose(clipByValue(grads, 1))
      globalNorm(grads).dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose(grads)
  })
})

describe('clipByTensorNorm', () => {
  it('rescales each tensor by its own norm and leaves a tensor under the threshold alone', () => {
    // ‖[3, 4]‖ = 5 → scaled by 2/5; ‖[[0.6, 0], [0, 0.8]]‖ = 1 ≤ 2 → unchanged
    const grads = [tf.tensor1d([3, 4]), tf.tensor2d([[0.6, 0], [0, 0.8]])]
    const clipped = clipByTensorNorm(grads, 2)
    const [a, b] = values(clipped)
    expect(a?.map((v) => Number(v.toFixed(6)))).toEqual([1.2, 1.6])
    expect(b?.map((v) => Number(v.toFixed(6)))).toEqual([0.6, 0, 0, 0.8])
    tf.dispose([...grads, ...clipped])
  })

  it('differs from global-norm clipping, which would have shrunk both', () => {
    const grads = [tf.tensor1d([3, 4]), tf.tensor1d([0.6, 0.8])]
    const global = clipByGlobalNorm(grads, 2)
    const perTensor = clipByTensorNorm(grads, 2)
    expect(values(global)[1]?.[0]).toBeLessThan(0.6 - 0.1)
    expect(values(perTensor)[1]?.[0]).toBeCloseTo(0.6, 6)
    tf.dispose([...grads, ...global, ...perTensor])
  })
})
