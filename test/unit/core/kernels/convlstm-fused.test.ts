import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { cellStep } from '../../../../src/core/model/cell'
import { convLstmSequence } from '../../../../src/core/kernels/convlstm-fused'
import { registerWasmKernels } from '../../../../src/core/kernels/register'
import { expectClose, onBackend, randomArray } from './helpers'

/** The plain per-step cell of the model, unrolled: the reference the fused layer must match. */
function plainSequence(x: tf.Tensor5D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor5D {
  const [batch, , rows, cols] = x.shape
  const filters = bias.shape[0] / 4
  let h = tf.zeros([batch, rows, cols, filters]) as tf.Tensor4D
  let c = h
  const hs: tf.Tensor4D[] = []
  for (const xt of tf.unstack(x, 1) as tf.Tensor4D[]) {
    const next = cellStep({ kernel, bias }, xt, h, c)
    h = next.h
    c = next.c
    hs.push(h)
  }
  return tf.stack(hs, 1) as tf.Tensor5D
}

const configs = [
  { name: 'grid 3×4, 3×3 kernel', x: [2, 3, 3, 4, 2], k: [3, 3], filters: 3 },
  { name: 'subseq 1×6, 1×3 kernel', x: [3, 4, 1, 6, 3], k: [1, 3], filters: 4 },
  { name: 'grid 4×4, 2×2 kernel (asymmetric same padding)', x: [2, 2, 4, 4, 1], k: [2, 2], filters: 2 },
  { name: 'two steps, 5×5 kernel', x: [1, 2, 5, 5, 2], k: [5, 5], filters: 2 },
  { name: 'kernel wider than the image, 3×5 kernel on 2×1', x: [2, 3, 2, 1, 1], k: [3, 5], filters: 2 },
] as const

beforeAll(async () => {
  await tf.setBackend('wasm')
  registerWasmKernels()
})

describe('fused ConvLSTM layer on wasm', () => {
  for (const config of configs) {
    it(`matches autodiff of the plain cell on the cpu backend: values and gradients of x, kernel, bias (${config.name})`, async () => {
      const xShape = [...config.x] as [number, number, number, number, number]
      const channels = xShape[4]
      const kernelShape = [config.k[0], config.k[1], channels + config.filters, 4 * config.filters] as [number, number, number, number]
      const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1)
      const xValues = randomArray(size(xShape), 11)
      const kernelValues = randomArray(size(kernelShape), 12).map((v) => v * 0.8)
      const biasValues = randomArray(4 * config.filters, 13)
      const hsShape = [xShape[0], xShape[1], xShape[2], xShape[3], config.filters]
      const weights = randomArray(size(hsShape), 14)
      const run = (layer: typeof plainSequence) => (): Float32Array[] => {
        const x = tf.tensor5d(xValues, xShape)
        const kernel = tf.tensor4d(kernelValues, kernelShape)
        const bias = tf.tensor1d(biasValues)
        const w = tf.tensor(weights, hsShape)
        const hs = layer(x, kernel, bias)
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(layer(a as tf.Tensor5D, b as tf.Tensor4D, c as tf.Tensor1D), w)))([x, kernel, bias])
        const out = [hs, value, ...grads].map((t) => t.dataSync() as Float32Array)
        tf.dispose([x, kernel, bias, w, hs, value, ...grads])
        return out
      }
      const expected = await onBackend('cpu', run(plainSequence))
      const before = tf.memory().numTensors
      const actual = await onBackend('wasm', run(convLstmSequence))
      await onBackend('wasm', run(convLstmSequence))
      expect(tf.memory().numTensors).toBe(before)
      const labels = ['hs', 'loss', 'dx', 'dKernel', 'dBias']
      labels.forEach((label, n) => expectClose(actual[n]!, expected[n]!, 1e-4, label))
    })
  }
})
