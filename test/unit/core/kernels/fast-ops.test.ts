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

async function compare(run: () => number[]): Promise<void> {
  const expected = await onBackend('cpu', run)
  const before = tf.memory().numTensors
  const actual = await onBackend('wasm', run)
  expect(tf.memory().numTensors).toBe(before)
  expect(actual.length).toBe(expected.length)
  const scale = Math.max(1e-30, ...expected.map(Math.abs))
  const worst = Math.max(0, ...actual.map((v, k) => Math.abs(v - expected[k]!)))
  expect(worst / scale).toBeLessThan(1e-5)
}

describe('wasm Transpose on heap views', () => {
  const cases: Array<{ shape: number[]; perm: number[]; dtype: 'float32' | 'int32' }> = [
    { shape: [5, 7], perm: [1, 0], dtype: 'float32' },
    { shape: [2, 3, 4, 5], perm: [3, 1, 2, 0], dtype: 'float32' },
    { shape: [2, 3, 4, 5], perm: [1, 2, 0, 3], dtype: 'float32' },
    { shape: [3, 1, 4, 2, 2], perm: [4, 2, 0, 1, 3], dtype: 'int32' },
    { shape: [4, 6], perm: [0, 1], dtype: 'float32' },
  ]
  for (const { shape, perm, dtype } of cases) {
    it(`matches the cpu backend for ${dtype} [${shape.join(', ')}] perm [${perm.join(', ')}]`, async () => {
      const values = Array.from(randomArray(shape.reduce((a, b) => a * b, 1), 6), (v) => (dtype === 'int32' ? Math.round(v * 50) : v))
      await compare(() => tf.tidy(() => Array.from(tf.transpose(tf.tensor(values, shape, dtype), perm).dataSync())))
    })
  }
})

describe('wasm Sum over leading or trailing axes', () => {
  const cases: Array<{ shape: number[]; axis: number[]; keepDims: boolean }> = [
    { shape: [6, 5, 4], axis: [0], keepDims: false },
    { shape: [6, 5, 4], axis: [0, 1], keepDims: true },
    { shape: [6, 5, 4], axis: [2], keepDims: false },
    { shape: [6, 5, 4], axis: [1, 2], keepDims: false },
    { shape: [6, 5, 4], axis: [0, 1, 2], keepDims: false },
    { shape: [6, 5, 4], axis: [1], keepDims: false },
    { shape: [6, 5, 4], axis: [0, 2], keepDims: true },
  ]
  for (const { shape, axis, keepDims } of cases) {
    it(`matches the cpu backend for [${shape.join(', ')}] over [${axis.join(', ')}]${keepDims ? ' keeping dims' : ''}`, async () => {
      const values = randomArray(shape.reduce((a, b) => a * b, 1), 7)
      await compare(() => tf.tidy(() => {
        const out = tf.sum(tf.tensor(values, shape), axis, keepDims)
        return [...out.shape, ...Array.from(out.dataSync())]
      }))
    })
  }
  it('leaves int32 sums to the stock kernel and still matches', async () => {
    await compare(() => tf.tidy(() => Array.from(tf.sum(tf.tensor([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'), 0).dataSync())))
  })
})

describe('wasm Tanh and BatchMatMul with transpose flags', () => {
  it('Tanh matches the cpu backend, large magnitudes included', async () => {
    const values = Array.from(randomArray(1000, 8), (v, k) => v * (k % 10 === 0 ? 60 : 3))
    await compare(() => tf.tidy(() => Array.from(tf.tanh(tf.tensor(values)).dataSync())))
  })
  for (const [transposeA, transposeB] of [[true, false], [false, true], [true, true], [false, false]] as const) {
    it(`BatchMatMul matches the cpu backend with transposeA=${transposeA}, transposeB=${transposeB}`, async () => {
      const a = randomArray(3 * 4 * 5, 9)
      const b = randomArray(3 * 5 * 6, 10)
      await compare(() => tf.tidy(() => {
        const left = tf.tensor(a, transposeA ? [3, 5, 4] : [3, 4, 5])
        const right = tf.tensor(b, transposeB ? [3, 6, 5] : [3, 5, 6])
        const out = tf.matMul(left, right, transposeA, transposeB)
        return [...out.shape, ...Array.from(out.dataSync())]
      }))
    })
  }
})
