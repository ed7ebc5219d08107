import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/core/backend'
import { createModel } from '../../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { webgpuAdapter, webgpuSkipReason } from '../../../helpers/webgpu'
import { expectClose, onBackend, randomArray } from './helpers'

// tiny shapes: in CI the adapter is lavapipe, Vulkan on the CPU
const base: ModelSpec = { layout: 'grid', inputShape: [2, 1, 3, 2], layers: 1, filters: 2, kernel: 3, norm: 'none', init: 'glorot', horizon: 2, targets: 2, seed: 5 }
const specs: Array<[string, ModelSpec]> = [
  ['single layer', base],
  ['two stacked layers', { ...base, layers: 2 }],
  ['layer-normalised', { ...base, norm: 'layer' }],
  ['subseq 1×4, 1×3 kernel', { ...base, layout: 'subseq', inputShape: [2, 1, 4, 3], targets: 3 }],
  ['grid 3×3', { ...base, inputShape: [2, 3, 3, 2] }],
]

/** Loss and every weight's gradient of one MSE batch, read back without blocking (webgpu has no synchronous read in Node). */
async function lossAndGradients(spec: ModelSpec, weights: Map<string, Float32Array> | undefined): Promise<{ values: Float32Array[]; weights: Map<string, Float32Array> }> {
  const batch = 2
  const xShape = [batch, ...spec.inputShape] as [number, number, number, number, number]
  const model = createModel(spec)
  if (weights !== undefined) model.setWeights(weights)
  const x = tf.tensor5d(randomArray(xShape.reduce((a, b) => a * b, 1), 21), xShape)
  const y = tf.tensor3d(randomArray(batch * spec.horizon * spec.targets, 22), [batch, spec.horizon, spec.targets])
  try {
    const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.predict(x)) as tf.Scalar, model.variables)
    const tensors = [value, ...model.variables.map((v) => grads[v.name]!)]
    const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array))
    tf.dispose([value, ...Object.values(grads)])
    return { values, weights: weights ?? (await model.readWeights()) }
  } finally {
    tf.dispose([x, y])
    model.dispose()
  }
}

describe.skipIf(webgpuAdapter === undefined)(`model gradients on webgpu against the cpu backend${webgpuSkipReason}`, () => {
  beforeAll(async () => {
    await selectBackend('webgpu')
  })

  for (const [name, spec] of specs) {
    it(`match within 1e-4 relative for the loss and every weight, without leaking tensors: ${name}`, async () => {
      const expected = await onBackend('cpu', () => lossAndGradients(spec, undefined))
      await onBackend('webgpu', () => undefined)
      const before = tf.memory().numTensors
      const actual = await lossAndGradients(spec, expected.weights)
      expect(tf.getBackend()).toBe('webgpu')
      expect(tf.memory().numTensors).toBe(before)
      expected.values.forEach((values, k) => expectClose(actual.values[k]!, values, 1e-4, k === 0 ? 'loss' : `gradient ${k - 1}`))
    })
  }
})
