import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createModel } from '../../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { computeLoss } from '../../../../src/core/train/losses'
import { createTrainer } from '../../../../src/core/train/step'
import { weightsOf } from '../../../helpers/weights'

// tfjs 4.22's gradient of tf.unstack fails on an axis of length 1 ("tensors passed to stack
// must be a Tensor[]"): a model whose sequence has one timestep (`--subseq 1`, or `--layout
// grid` with lookback 1) could not be differentiated with respect to its input on cpu.
beforeAll(async () => {
  await tf.setBackend('cpu')
})

const oneStep: ModelSpec = { layout: 'subseq', inputShape: [1, 1, 6, 2], layers: 1, filters: 2, kernel: 3, norm: 'none', init: 'glorot', horizon: 2, targets: 2, seed: 3 }

describe('a model whose sequence has one timestep', () => {
  it.each([
    ['subseq, one layer', oneStep],
    ['grid, two layers with layer norm', { ...oneStep, layout: 'grid', inputShape: [1, 2, 3, 1], layers: 2, norm: 'layer' } as ModelSpec],
  ])('trains one step on cpu with finite gradients (%s)', async (_, spec) => {
    const before = tf.memory().numTensors
    const model = createModel(spec)
    const trainer = createTrainer(model, { loss: 'mse', optimizer: 'adam', lr: 1e-2, clip: 'norm', clipThreshold: 1, l1: 0, l2: 0 })
    const x = tf.randomNormal([3, ...spec.inputShape], 0, 1, 'float32', 5) as tf.Tensor5D
    const y = tf.randomNormal([3, spec.horizon, spec.targets], 0, 1, 'float32', 6) as tf.Tensor3D
    const weightsBefore = weightsOf(model)
    const result = await trainer.step(x, y)
    expect(result.finite).toBe(true)
    expect(result.applied).toBe(true)
    expect(result.preClipNorm).toBeGreaterThan(0)
    // the update reached the recurrent layer's kernel, not only the head
    const kernelBefore = weightsBefore.get('layer0/kernel') as Float32Array
    const kernelAfter = weightsOf(model).get('layer0/kernel') as Float32Array
    expect(kernelAfter.some((v, k) => v !== kernelBefore[k])).toBe(true)
    tf.dispose([x, y])
    trainer.dispose()
    model.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('differentiates with respect to its input, as central differences say', () => {
    const before = tf.memory().numTensors
    const model = createModel(oneStep)
    const x = tf.randomNormal([2, ...oneStep.inputShape], 0, 1, 'float32', 8) as tf.Tensor5D
    const y = tf.randomNormal([2, oneStep.horizon, oneStep.targets], 0, 1, 'float32', 9) as tf.Tensor3D
    const lossAt = (input: tf.Tensor) => computeLoss('mse', model.predict(input as tf.Tensor5D), y)
    const gradient = tf.grad(lossAt)(x) // [2, 1, 1, 6, 2]
    expect(gradient.shape).toEqual(x.shape)
    const analytic = gradient.dataSync()
    expect(analytic.every(Number.isFinite)).toBe(true)
    const values = x.dataSync()
    const h = 1e-2
    for (const at of [0, 5, values.length - 1]) {
      const shifted = (delta: number) => tf.tidy(() => {
        const moved = values.slice()
        moved[at] = (moved[at] as number) + delta
        return lossAt(tf.tensor(moved, x.shape)).dataSync()[0] as number
      })
      const numeric = (shifted(h) - shifted(-h)) / (2 * h)
      expect(Math.abs(numeric - (analytic[at] as number))).toBeLessThan(1e-3 + 2e-2 * Math.abs(numeric))
    }
    tf.dispose([x, y, gradient])
    model.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })
})
