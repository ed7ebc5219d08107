import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmKernels } from '../../../../src/core/kernels/register'
import { onBackend, randomArray } from './helpers'

beforeAll(async () => {
  await tf.setBackend('wasm')
  registerWasmKernels()
})

describe('wasm Slice on heap views', () => {
  const cases: Array<{ shape: number[]; begin: number[]; size: number[]; dtype: 'float32' | 'int32' | 'bool' }> = [
    { shape: [4, 5, 3, 2, 6], begin: [0, 4, 0, 0, 0], size: [4, 1, 3, 2, 6], dtype: 'float32' },
    { shape: [4, 5, 3, 2, 6], begin: [1, 2, 1, 0, 3], size: [2, 3, 2, 2, 3], dtype: 'float32' },
    { shape: [6, 16], begin: [0, 4], size: [6, 4], dtype: 'float32' },
    { shape: [7], begin: [2], size: [-1], dtype: 'int32' },
    { shape: [3, 4], begin: [0, 0], size: [3, 4], dtype: 'float32' },
    { shape: [3, 4, 2], begin: [1, 1, 0], size: [1, 2, 2], dtype: 'bool' },
    { shape: [3, 0, 2], begin: [0, 0, 0], size: [3, 0, 2], dtype: 'float32' },
  ]
  for (const { shape, begin, size, dtype } of cases) {
    it(`matches the cpu backend for ${dtype} [${shape.join(', ')}] from [${begin.join(', ')}] size [${size.join(', ')}]`, async () => {
      const values = Array.from(randomArray(shape.reduce((a, b) => a * b, 1), 5), (v) => (dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0))
      const run = () => tf.tidy(() => Array.from(tf.slice(tf.tensor(values, shape, dtype), begin, size).dataSync()))
      const expected = await onBackend('cpu', run)
      const before = tf.memory().numTensors
      const actual = await onBackend('wasm', run)
      expect(tf.memory().numTensors).toBe(before)
      expect(actual).toEqual(expected)
    })
  }
})
