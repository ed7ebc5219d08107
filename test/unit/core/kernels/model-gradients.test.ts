import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../../../../src/core/backend'
import { fusedConvLstmActive } from '../../../../src/core/kernels/convlstm-stack'
import { createModel } from '../../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { expectClose, onBackend, randomArray } from './helpers'
import { weightsOf } from '../../../helpers/weights'

const base: ModelSpec = { layout: 'grid', inputShape: [3, 3, 4, 2], layers: 1, filters: 3, kernel: 3, norm: 'none', init: 'glorot', horizon: 2, targets: 2, seed: 5 }
const specs: Array<[string, ModelSpec]> = [
  ['grid, one layer (fused on wasm)', base],
  ['grid, two layers (fused on wasm)', { ...base, layers: 2 }],
  ['subseq 1×6, 1×3 kernel (fused on wasm)', { ...base, layout: 'subseq', inputShape: [2, 1, 6, 3], filters: 4, targets: 3 }],
  ['grid with layer norm (wasm kernels under autodiff)', { ...base, norm: 'layer' }],
]

beforeAll(async () => {
  // registers our wasm kernels the way a run does
  await selectBackend('wasm')
})

describe('model gradients on wasm (our kernels) against the plain cpu backend', () => {
  for (const [name, spec] of specs) {
    it(`match within 1e-4 for every weight and the loss: ${name}`, async () => {
      const batch = 3
      const xShape = [batch, ...spec.inputShape] as [number, number, number, number, number]
      const xValues = randomArray(xShape.reduce((a, b) => a * b, 1), 21)
      const yValues = randomArray(batch * spec.horizon * spec.targets, 22)
      let weights: Map<string, Float32Array> | undefined
      const run = (): Float32Array[] => {
        const model = createModel(spec)
        if (weights === undefined) weights = weightsOf(model)
        else model.setWeights(weights)
        const x = tf.tensor5d(xValues, xShape)
        const y = tf.tensor3d(yValues, [batch, spec.horizon, spec.targets])
        try {
          const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.predict(x)) as tf.Scalar, model.variables)
          const out = [value, ...model.variables.map((v) => grads[v.name]!)].map((t) => t.dataSync() as Float32Array)
          tf.dispose([value, ...Object.values(grads)])
          return out
        } finally {
          tf.dispose([x, y])
          model.dispose()
        }
      }
      const expected = await onBackend('cpu', run)
      const before = tf.memory().numTensors
      const actual = await onBackend('wasm', run)
      expect(fusedConvLstmActive()).toBe(true)
      expect(tf.memory().numTensors).toBe(before)
      expected.forEach((values, k) => expectClose(actual[k]!, values, 1e-4, k === 0 ? 'loss' : `gradient ${k - 1}`))
    })
  }
})
