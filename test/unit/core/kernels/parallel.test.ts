import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/core/backend'
import { convLstmSequence } from '../../../../src/core/kernels/convlstm-fused'
import { dataParallelActive, dataParallelSettings, startDataParallel, stopDataParallel } from '../../../../src/core/kernels/parallel'
import { expectClose, randomArray } from './helpers'

const minWork = dataParallelSettings.minWork

beforeAll(async () => {
  await selectBackend('wasm', undefined, { dataParallel: false })
  // tiny shapes in tests: split every call
  dataParallelSettings.minWork = 0
})

afterAll(async () => {
  dataParallelSettings.minWork = minWork
  await stopDataParallel()
})

function layerValuesAndGrads(xShape: [number, number, number, number, number], filters: number): Float32Array[] {
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1)
  const kernelShape = [3, 3, xShape[4] + filters, 4 * filters]
  const x = tf.tensor5d(randomArray(size(xShape), 31), xShape)
  const kernel = tf.tensor4d(randomArray(size(kernelShape), 32).map((v) => v * 0.7), kernelShape as [number, number, number, number])
  const bias = tf.tensor1d(randomArray(4 * filters, 33))
  const weights = tf.tensor(randomArray(size([...xShape.slice(0, 4), filters]), 34), [...xShape.slice(0, 4), filters])
  const hs = convLstmSequence(x, kernel, bias)
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(convLstmSequence(a as tf.Tensor5D, b as tf.Tensor4D, c as tf.Tensor1D), weights)))([x, kernel, bias])
  const out = [hs, value, ...grads].map((t) => t.dataSync() as Float32Array)
  tf.dispose([x, kernel, bias, weights, hs, value, ...grads])
  return out
}

const shapes: Array<[number, number, number, number, number]> = [[4, 3, 3, 4, 2], [5, 2, 4, 4, 1]]

describe('data-parallel fused ConvLSTM layer', () => {
  it('gives the same values and gradients on two threads as on one, without leaks, for even and odd batches', async () => {
    expect(dataParallelActive()).toBe(false)
    const single = shapes.map((shape) => layerValuesAndGrads(shape, 3))
    const x = tf.tensor5d(randomArray(4 * 2 * 3 * 3 * 2, 41), [4, 2, 3, 3, 2])
    const kernel = tf.tensor4d(randomArray(3 * 3 * 5 * 12, 42), [3, 3, 5, 12])
    const bias = tf.zeros([12]) as tf.Tensor1D
    const inferenceSingle = tf.tidy(() => convLstmSequence(x, kernel, bias).dataSync().slice())

    // one partner start for the whole file: it loads its own tfjs and wasm instance
    expect(await startDataParallel()).toBe(true)
    const before = tf.memory().numTensors
    const split = shapes.map((shape) => layerValuesAndGrads(shape, 3))
    layerValuesAndGrads(shapes[0]!, 3)
    const inferenceSplit = tf.tidy(() => convLstmSequence(x, kernel, bias).dataSync().slice())
    expect(tf.memory().numTensors).toBe(before)
    expect(dataParallelActive()).toBe(true)
    await stopDataParallel()
    tf.dispose([x, kernel, bias])

    shapes.forEach((_, n) => ['hs', 'loss', 'dx', 'dKernel', 'dBias'].forEach((label, k) => expectClose(split[n]![k]!, single[n]![k]!, 1e-5, `batch ${shapes[n]![0]} ${label}`)))
    expectClose(inferenceSplit, inferenceSingle, 1e-5, 'inference without gradients')
  })
})
