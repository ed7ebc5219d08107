import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createModel, kernelSize, type ConvLstmModel } from '../../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { computeLoss } from '../../../../src/core/train/losses'
import { weightsOf } from '../../../helpers/weights'

const base: ModelSpec = { layout: 'subseq', inputShape: [3, 1, 4, 2], layers: 1, filters: 2, kernel: 3, norm: 'none', init: 'glorot', horizon: 2, targets: 2, seed: 7 }

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function input(spec: ModelSpec, batch = 2, seed = 11): tf.Tensor5D {
  return tf.randomNormal([batch, ...spec.inputShape], 0, 1, 'float32', seed) as tf.Tensor5D
}

/** Predictions of a fresh model built from `spec` on a fixed input. */
function predictions(spec: ModelSpec, x?: tf.Tensor5D): number[] {
  const model = createModel(spec)
  const input5 = x ?? input(spec)
  try {
    return tf.tidy(() => Array.from(model.predict(input5).dataSync()))
  } finally {
    model.dispose()
    if (x === undefined) input5.dispose()
  }
}

function maxDifference(a: number[], b: number[]): number {
  return a.length !== b.length ? Infinity : Math.max(...a.map((v, k) => Math.abs(v - (b[k] as number))))
}

describe('createModel', () => {
  it('maps [batch, time, rows, cols, channels] to [batch, horizon, targets]', () => {
    const model = createModel(base)
    const x = input(base, 5)
    const y = model.predict(x)
    expect(y.shape).toEqual([5, 2, 2])
    tf.dispose([x, y])
    model.dispose()
  })

  it('names its variables and sets the forget-gate bias to 1', () => {
    const model = createModel({ ...base, layers: 2, norm: 'layer' })
    expect(model.variableNames).toEqual([
      'layer0/kernel', 'layer0/bias', 'layer0/gamma', 'layer0/cellGamma', 'layer0/cellBeta',
      'layer1/kernel', 'layer1/bias', 'layer1/gamma', 'layer1/cellGamma', 'layer1/cellBeta',
      'head/kernel', 'head/bias',
    ])
    const shapes = Object.fromEntries(model.weightShapes().map((w) => [w.name, w.shape]))
    // subseq has one row, so the kernel is 1×3; layer 1 reads layer 0's two filters
    expect(shapes['layer0/kernel']).toEqual([1, 3, 2 + 2, 8])
    expect(shapes['layer1/kernel']).toEqual([1, 3, 2 + 2, 8])
    expect(shapes['head/kernel']).toEqual([1 * 4 * 2, 2 * 2])
    expect(Array.from(weightsOf(model).get('layer0/bias') ?? [])).toEqual([0, 0, 1, 1, 0, 0, 0, 0])
    model.dispose()
  })

  it('uses a k×k kernel on a grid and 1×k on the single row of the subseq layout', () => {
    expect(kernelSize(base)).toEqual([1, 3])
    expect(kernelSize({ ...base, layout: 'grid', inputShape: [3, 4, 5, 1] })).toEqual([3, 3])
    expect(kernelSize({ ...base, layout: 'grid', inputShape: [3, 4, 1, 1] })).toEqual([3, 1])
  })

  it('is reproducible from its seed and differs with another seed', () => {
    expect(predictions(base)).toEqual(predictions(base))
    expect(maxDifference(predictions(base), predictions({ ...base, seed: 8 }))).toBeGreaterThan(1e-4)
  })

  it.each([
    ['norm', { norm: 'layer' }],
    ['init he', { init: 'he' }],
    ['init orthogonal', { init: 'orthogonal' }],
    ['layers', { layers: 2 }],
    ['filters', { filters: 3 }],
    ['kernel', { kernel: 1 }],
  ] as const)('changes its output when %s changes', (_, change) => {
    const x = input(base)
    expect(maxDifference(predictions(base, x), predictions({ ...base, ...change }, x))).toBeGreaterThan(1e-4)
    x.dispose()
  })

  it('feeds layer 1 with the whole hidden sequence of layer 0', () => {
    // zeroing the first timestep changes a 2-layer model's output only if layer 1 sees every step's h
    const spec = { ...base, layers: 2 }
    const model = createModel(spec)
    const x = input(spec)
    const changed = tf.tidy(() => tf.concat([tf.zerosLike(tf.slice(x, [0, 0], [-1, 1])), tf.slice(x, [0, 1])], 1)) as tf.Tensor5D
    const a = tf.tidy(() => Array.from(model.predict(x).dataSync()))
    const b = tf.tidy(() => Array.from(model.predict(changed).dataSync()))
    expect(maxDifference(a, b)).toBeGreaterThan(1e-5)
    tf.dispose([x, changed])
    model.dispose()
  })

  it('initialises the recurrent part orthogonally with init orthogonal', () => {
    const model = createModel({ ...base, init: 'orthogonal', filters: 3 })
    const kernel = weightsOf(model).get('layer0/kernel') as Float32Array
    // [1, 3, 2 + 3, 12]: flattened recurrent part [1·3·3, 12] is wide, so its 9 rows are orthonormal
    const rows: number[][] = []
    for (let w = 0; w < 3; w++) for (let ch = 2; ch < 5; ch++) rows.push(Array.from(kernel.slice((w * 5 + ch) * 12, (w * 5 + ch + 1) * 12)))
    rows.forEach((a, p) => rows.forEach((b, q) => {
      expect(a.reduce((s, v, k) => s + v * (b[k] as number), 0)).toBeCloseTo(p === q ? 1 : 0, 4)
    }))
    model.dispose()
  })

  it('draws glorot within ±√(6/(fanIn+fanOut)) and he within ±√(6/fanIn), per kernel part', () => {
    const spec = { ...base, filters: 4 }
    for (const [init, limit] of [['glorot', Math.sqrt(6 / (1 * 3 * 2 + 1 * 3 * 16))], ['he', Math.sqrt(6 / (1 * 3 * 2))]] as const) {
      const model = createModel({ ...spec, init })
      const kernel = weightsOf(model).get('layer0/kernel') as Float32Array
      // the input part: channels 0 and 1 of the third axis of [1, 3, 6, 16]
      const inputPart = Array.from(kernel).filter((_, k) => Math.floor(k / 16) % 6 < 2)
      const largest = Math.max(...inputPart.map(Math.abs))
      expect(largest).toBeLessThanOrEqual(limit)
      expect(largest).toBeGreaterThan(0.8 * limit)
      model.dispose()
    }
  })

  it('round-trips its weights and refuses weights that do not fit', () => {
    const a = createModel(base)
    const b = createModel({ ...base, seed: 99 })
    b.setWeights(weightsOf(a))
    const x = input(base)
    expect(predictions(base, x)).toEqual(tf.tidy(() => Array.from(b.predict(x).dataSync())))

    const weights = weightsOf(a)
    const missing = new Map(weights)
    missing.delete('head/bias')
    expect(() => b.setWeights(missing)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }))
    const wrongSize = new Map(weights).set('head/bias', new Float32Array(5))
    expect(() => b.setWeights(wrongSize)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }))
    const extra = new Map(weights).set('layer9/kernel', new Float32Array(1))
    expect(() => b.setWeights(extra)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH' }))
    const nan = new Map(weights).set('head/bias', new Float32Array([0, NaN, 0, 0]))
    expect(() => b.setWeights(nan)).toThrow(expect.objectContaining({ code: 'NON_FINITE_WEIGHTS' }))
    // a refused load changes nothing
    expect(weightsOf(b)).toEqual(weights)
    tf.dispose(x)
    a.dispose()
    b.dispose()
  })

  it('refuses an input of the wrong shape', () => {
    const model = createModel(base)
    const x = tf.zeros([1, 3, 1, 5, 2]) as tf.Tensor5D
    expect(() => model.predict(x)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    x.dispose()
    model.dispose()
  })

  it('leaks no tensors over two predictions and none after dispose', () => {
    const before = tf.memory().numTensors
    const model = createModel({ ...base, layers: 2, norm: 'layer', init: 'orthogonal' })
    const x = input(base)
    const afterCreate = tf.memory().numTensors
    for (let k = 0; k < 2; k++) model.predict(x).dispose()
    weightsOf(model)
    model.setWeights(weightsOf(model))
    expect(tf.memory().numTensors).toBe(afterCreate)
    x.dispose()
    model.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})

/**
 * Autodiff through the unrolled cell against central differences of the loss, on a tiny
 * model. float32 rounding of a loss near 1 is ~1e-7, so with h = 1e-2 the difference quotient
 * is good to ~1e-5 absolute and the O(h²) truncation to ~1e-4: a 2e-2 relative tolerance
 * (plus 1e-3 absolute) catches a wrong gradient without flaking.
 */
describe('gradients of the unrolled ConvLSTM', () => {
  it.each(['none', 'layer'] as const)('match finite differences (norm %s)', (norm) => {
    const spec: ModelSpec = { ...base, inputShape: [3, 2, 3, 2], layout: 'grid', layers: 2, norm, kernel: 3, targets: 1 }
    const model = createModel(spec)
    const x = input(spec, 2, 5)
    const y = tf.randomNormal([2, spec.horizon, spec.targets], 0, 1, 'float32', 6) as tf.Tensor3D
    const lossOf = () => computeLoss('mse', model.predict(x), y)
    const { grads } = tf.variableGrads(lossOf, model.variables)
    const h = 1e-2
    model.variables.forEach((variable) => {
      const analytic = grads[variable.name]?.dataSync() as Float32Array
      const original = variable.dataSync().slice()
      // a few entries per variable, spread over it
      const picks = [0, Math.floor(original.length / 3), Math.floor((2 * original.length) / 3), original.length - 1]
      for (const at of picks) {
        const shifted = (delta: number) => {
          const values = original.slice()
          values[at] = (values[at] as number) + delta
          variable.assign(tf.tensor(values, variable.shape))
          return tf.tidy(() => lossOf().dataSync()[0] as number)
        }
        const numeric = (shifted(h) - shifted(-h)) / (2 * h)
        variable.assign(tf.tensor(original, variable.shape))
        expect(Math.abs(numeric - (analytic[at] as number)), `${variable.name}[${at}]`).toBeLessThan(1e-3 + 2e-2 * Math.abs(numeric))
      }
    })
    tf.dispose([x, y, ...Object.values(grads)])
    model.dispose()
  })
})

export type { ConvLstmModel }
