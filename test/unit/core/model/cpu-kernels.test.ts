import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerCpuKernels, sliceFloat32 } from '../../../../src/core/model/cpu-kernels'

/** Each case runs once with the stock cpu kernels and once with ours; results must agree. */
const cases: Array<{ name: string; run: () => tf.Tensor[] }> = []
const stock = new Map<string, number[][]>()
const KERNELS = ['Conv2DBackpropFilter', 'Slice', 'SplitV', 'Unpack']
const stockKernels = new Map<string, unknown>()

const random = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, 'float32', seed)

function filterGradient(xShape: [number, number, number, number], filterShape: [number, number, number, number], strides: number, pad: 'same' | 'valid') {
  return () => tf.tidy(() => {
    const x = random(xShape, 1) as tf.Tensor4D
    const filter = random(filterShape, 2) as tf.Tensor4D
    const dyWeights = tf.conv2d(x, filter, strides, pad)
    const weights = random(dyWeights.shape, 3)
    return [tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, strides, pad), weights)))(filter)]
  })
}

cases.push(
  { name: 'filter gradient, 3×3 same', run: filterGradient([2, 4, 5, 3], [3, 3, 3, 8], 1, 'same') },
  { name: 'filter gradient, 1×3 same on one row', run: filterGradient([3, 1, 7, 5], [1, 3, 5, 12], 1, 'same') },
  { name: 'filter gradient, 2×2 same (uneven padding)', run: filterGradient([2, 5, 4, 2], [2, 2, 2, 4], 1, 'same') },
  { name: 'filter gradient, 3×3 valid stride 2', run: filterGradient([2, 7, 6, 3], [3, 3, 3, 4], 2, 'valid') },
  { name: 'slice of the last axis', run: () => tf.tidy(() => [tf.slice(random([2, 3, 4, 8], 4), [0, 1, 0, 2], [2, 2, 4, 5])]) },
  { name: 'slice of a middle axis', run: () => tf.tidy(() => [tf.slice(random([3, 5, 2, 1, 4], 5), [1, 2, 0, 0, 0], [2, 2, -1, -1, -1])]) },
  { name: 'slice of one axis', run: () => tf.tidy(() => [tf.slice(random([9], 6), [3], [4])]) },
  { name: 'slice of int32 (stock path)', run: () => tf.tidy(() => [tf.slice(tf.range(0, 24, 1, 'int32').reshape([2, 3, 4]), [0, 1, 1], [2, 2, 2])]) },
  { name: 'split into four gates along channels', run: () => tf.tidy(() => tf.split(random([2, 1, 5, 16], 7), 4, 3)) },
  { name: 'split unevenly along axis 1', run: () => tf.tidy(() => tf.split(random([2, 3, 4], 8), [1, 2], 1)) },
  { name: 'unstack along time', run: () => tf.tidy(() => tf.unstack(random([2, 4, 1, 3, 2], 9), 1)) },
  { name: 'unstack along the last axis', run: () => tf.tidy(() => tf.unstack(random([3, 2, 5], 10), -1)) },
  { name: 'concat gradient (slices of the channel axis)', run: () => tf.tidy(() => {
    const a = random([2, 3, 3, 2], 11)
    const b = random([2, 3, 3, 5], 12)
    const w = random([2, 3, 3, 7], 13)
    return tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 3), w)))([a, b])
  }) },
)

beforeAll(async () => {
  await tf.setBackend('cpu')
  for (const c of cases) {
    const out = c.run()
    stock.set(c.name, out.map((t) => Array.from(t.dataSync())))
    tf.dispose(out)
  }
  for (const name of KERNELS) stockKernels.set(name, tf.getKernel(name, 'cpu')?.kernelFunc)
  registerCpuKernels()
})

describe('cpu kernels', () => {
  it.each(cases.map((c) => [c.name, c] as const))('match the stock kernels: %s', (_, c) => {
    const out = c.run()
    const expected = stock.get(c.name) as number[][]
    expect(out.length).toBe(expected.length)
    out.forEach((t, k) => {
      const values = Array.from(t.dataSync())
      const reference = expected[k] as number[]
      expect(values.length).toBe(reference.length)
      values.forEach((v, i) => expect(Math.abs(v - (reference[i] as number)), `output ${k}[${i}]`).toBeLessThan(1e-5 * (1 + Math.abs(reference[i] as number))))
    })
    tf.dispose(out)
  })

  it('slices by copying whole runs', () => {
    const values = Float32Array.from({ length: 24 }, (_, k) => k)
    // [2, 3, 4]: rows 1..2 of each block, columns 1..2
    expect(Array.from(sliceFloat32(values, [2, 3, 4], [0, 1, 1], [2, 2, 2]))).toEqual([5, 6, 9, 10, 17, 18, 21, 22])
    expect(Array.from(sliceFloat32(values, [2, 3, 4], [1, 0, 0], [1, 3, 4]))).toEqual(Array.from({ length: 12 }, (_, k) => 12 + k))
    expect(sliceFloat32(values, [2, 3, 4], [0, 0, 0], [0, 3, 4]).length).toBe(0)
  })

  it('replaces the cpu kernels only, once, and leaks no tensors', () => {
    for (const name of KERNELS) expect(tf.getKernel(name, 'cpu')?.kernelFunc).not.toBe(stockKernels.get(name))
    const replaced = tf.getKernel('Slice', 'cpu')?.kernelFunc
    registerCpuKernels()
    expect(tf.getKernel('Slice', 'cpu')?.kernelFunc).toBe(replaced)
    const before = tf.memory().numTensors
    for (const c of cases) tf.dispose(c.run())
    expect(tf.memory().numTensors).toBe(before)
  })
})
