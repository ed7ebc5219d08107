import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { cellStep, LAYER_NORM_EPSILON, unrollLayer, type CellParams } from '../../../../src/core/model/cell'

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function run(params: CellParams, x: number[], shape: [number, number, number, number], filters: number) {
  return tf.tidy(() => {
    const [batch, rows, cols] = shape
    const zeros = tf.zeros([batch, rows, cols, filters]) as tf.Tensor4D
    const { h, c } = cellStep(params, tf.tensor4d(x, shape), zeros, zeros)
    return { h: Array.from(h.dataSync()), c: Array.from(c.dataSync()) }
  })
}

describe('cellStep', () => {
  it('matches the hand-computed value with a ones kernel, zero bias and zero state', () => {
    // every gate's pre-activation is 1·x + 1·h = 1: c = σ(1)·tanh(1) = 0.556770, h = σ(1)·tanh(c) = 0.369606
    const params = { kernel: tf.ones([1, 1, 2, 4]) as tf.Tensor4D, bias: tf.zeros([4]) as tf.Tensor1D }
    const { h, c } = run(params, [1], [1, 1, 1, 1], 1)
    expect(c[0]).toBeCloseTo(0.55677, 5)
    expect(h[0]).toBeCloseTo(0.369606, 5)
    tf.dispose([params.kernel, params.bias])
  })

  it('pads "same" with zeros at the edges and adds the bias to each gate', () => {
    // x = [1, 2, 3] along cols, 1×3 ones kernel: pre-activations 0+1+2, 1+2+3, 2+3+0 = [3, 6, 5] plus bias
    const params = { kernel: tf.ones([1, 3, 2, 4]) as tf.Tensor4D, bias: tf.tensor1d([0, 1, -1, 0.5]) }
    const { h, c } = run(params, [1, 2, 3], [1, 1, 3, 1], 1)
    ;[3, 6, 5].forEach((z, col) => {
      const cellValue = sigmoid(z) * Math.tanh(z - 1) // cPrev = 0, so f does not matter
      expect(c[col]).toBeCloseTo(cellValue, 5)
      expect(h[col]).toBeCloseTo(sigmoid(z + 0.5) * Math.tanh(cellValue), 5)
    })
    tf.dispose([params.kernel, params.bias])
  })

  it('carries the previous state through the forget gate and the recurrent half of the kernel', () => {
    // kernel: x part zero, h part ones; hPrev = 0.5, cPrev = 2, x = 7 (ignored): z = 0.5 for every gate
    const result = tf.tidy(() => {
      const kernel = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1], [1, 1, 2, 4])
      const state = cellStep({ kernel, bias: tf.zeros([4]) }, tf.tensor4d([7], [1, 1, 1, 1]), tf.tensor4d([0.5], [1, 1, 1, 1]), tf.tensor4d([2], [1, 1, 1, 1]))
      return { h: state.h.dataSync()[0] as number, c: state.c.dataSync()[0] as number }
    })
    const c = sigmoid(0.5) * 2 + sigmoid(0.5) * Math.tanh(0.5)
    expect(result.c).toBeCloseTo(c, 5)
    expect(result.h).toBeCloseTo(sigmoid(0.5) * Math.tanh(c), 5)
  })

  it('layer-normalises each gate over the sample and the cell inside tanh only', () => {
    // x = [1, 2, 3], 1×1 ones kernel: every gate's pre-activation is [1, 2, 3] → normalised (x − 2)/√(2/3 + ε)
    const params: CellParams = {
      kernel: tf.ones([1, 1, 2, 4]) as tf.Tensor4D,
      bias: tf.zeros([4]) as tf.Tensor1D,
      norm: { gateGamma: tf.ones([4]) as tf.Tensor1D, cellGamma: tf.ones([1]) as tf.Tensor1D, cellBeta: tf.zeros([1]) as tf.Tensor1D },
    }
    const { h, c } = run(params, [1, 2, 3], [1, 1, 3, 1], 1)
    const n = [1, 2, 3].map((v) => (v - 2) / Math.sqrt(2 / 3 + LAYER_NORM_EPSILON))
    const cells = n.map((v) => sigmoid(v) * Math.tanh(v))
    const mean = cells.reduce((a, b) => a + b) / 3
    const variance = cells.reduce((a, b) => a + (b - mean) ** 2, 0) / 3
    cells.forEach((cell, k) => {
      expect(c[k]).toBeCloseTo(cell, 5)
      expect(h[k]).toBeCloseTo(sigmoid(n[k] as number) * Math.tanh((cell - mean) / Math.sqrt(variance + LAYER_NORM_EPSILON)), 5)
    })
    expect(c[0]).toBeCloseTo(-0.19100, 4) // σ(−1.22473)·tanh(−1.22473)
    tf.dispose([params.kernel, params.bias, params.norm?.gateGamma, params.norm?.cellGamma, params.norm?.cellBeta].filter((t) => t !== undefined))
  })

  it('unrolls a layer from a zero state, carrying h and c from step to step', () => {
    // 1×1 ones kernel, zero bias, F = 1, x = 1 then 0: step 1 as the first test; step 2 sees only hPrev
    const before = tf.memory().numTensors
    const { hs, lastIsFinalH } = tf.tidy(() => {
      const params = { kernel: tf.ones([1, 1, 2, 4]) as tf.Tensor4D, bias: tf.zeros([4]) as tf.Tensor1D }
      const xs = [tf.ones([1, 1, 1, 1]), tf.zeros([1, 1, 1, 1])] as tf.Tensor4D[]
      const { sequence, last } = unrollLayer(params, xs, { filters: 1, returnSequence: true })
      return { hs: sequence.map((h) => h.dataSync()[0] as number), lastIsFinalH: last === sequence[1] }
    })
    const c1 = sigmoid(1) * Math.tanh(1)
    const h1 = sigmoid(1) * Math.tanh(c1)
    const c2 = sigmoid(h1) * c1 + sigmoid(h1) * Math.tanh(h1)
    expect(hs[0]).toBeCloseTo(h1, 5)
    expect(hs[1]).toBeCloseTo(sigmoid(h1) * Math.tanh(c2), 5)
    expect(lastIsFinalH).toBe(true)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('leaves no tensors behind but its outputs', () => {
    const kernel = tf.ones([3, 3, 3, 8]) as tf.Tensor4D
    const bias = tf.zeros([8]) as tf.Tensor1D
    const x = tf.ones([2, 4, 4, 1]) as tf.Tensor4D
    const zeros = tf.zeros([2, 4, 4, 2]) as tf.Tensor4D
    const before = tf.memory().numTensors
    for (let k = 0; k < 2; k++) {
      const { h, c } = cellStep({ kernel, bias }, x, zeros, zeros)
      tf.dispose([h, c])
    }
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([kernel, bias, x, zeros])
  })
})
