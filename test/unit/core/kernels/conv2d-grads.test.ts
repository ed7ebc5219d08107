import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmKernels } from '../../../../src/core/kernels/register'
import { expectClose, onBackend, randomArray } from './helpers'

type Pad = 'same' | 'valid'
const cases: Array<{ x: [number, number, number, number]; k: number; co: number; stride: number; pad: Pad }> = [
  { x: [2, 5, 6, 3], k: 3, co: 4, stride: 1, pad: 'same' },
  { x: [3, 4, 4, 7], k: 3, co: 16, stride: 1, pad: 'same' },
  { x: [2, 1, 8, 5], k: 3, co: 8, stride: 1, pad: 'same' },
  { x: [2, 6, 6, 2], k: 2, co: 3, stride: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: 3, co: 5, stride: 1, pad: 'valid' },
  { x: [2, 7, 8, 3], k: 3, co: 5, stride: 2, pad: 'same' },
  { x: [1, 9, 9, 2], k: 2, co: 3, stride: 2, pad: 'valid' },
]

beforeAll(async () => {
  await tf.setBackend('wasm')
  registerWasmKernels()
})

describe('wasm convolution gradients', () => {
  for (const { x: xShape, k, co, stride, pad } of cases) {
    const name = `x ${xShape.join('×')}, ${k}×${k}→${co}, stride ${stride}, ${pad}`
    it(`Conv2DBackpropFilter and Conv2DBackpropInput match the cpu backend (${name})`, async () => {
      const filterShape: [number, number, number, number] = [k, k, xShape[3], co]
      const xValues = randomArray(xShape.reduce((a, b) => a * b), 1)
      const filterValues = randomArray(filterShape.reduce((a, b) => a * b), 2)
      const run = (): Float32Array[] => {
        const x = tf.tensor4d(xValues, xShape)
        const filter = tf.tensor4d(filterValues, filterShape)
        const probe = tf.conv2d(x, filter, stride, pad)
        const outShape = probe.shape
        probe.dispose()
        const dy = tf.tensor4d(randomArray(outShape.reduce((a, b) => a * b), 3), outShape)
        const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad))([x, filter], dy)
        const values = grads.map((g) => g.dataSync() as Float32Array)
        tf.dispose([x, filter, dy, ...grads])
        return values
      }
      const expected = await onBackend('cpu', run)
      const before = tf.memory().numTensors
      const actual = await onBackend('wasm', run)
      expect(tf.memory().numTensors).toBe(before)
      expectClose(actual[0]!, expected[0]!, 1e-4)
      expectClose(actual[1]!, expected[1]!, 1e-4)
    })
  }
})
