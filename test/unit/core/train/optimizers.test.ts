import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { createOptimizer, disposeOptimizer, setOptimizerLearningRate, type OptimizerKind } from '../../../../src/core/train/optimizers'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** w starts at 1 and gets the gradient 2 `steps` times; returns w after each step. */
function trajectory(kind: OptimizerKind, lr: number, steps: number, changeLrTo?: number): number[] {
  const initial = tf.scalar(1)
  const w = tf.variable(initial, true, `w-${kind}-${Math.random()}`)
  initial.dispose()
  const optimizer = createOptimizer(kind, lr)
  const out: number[] = []
  for (let k = 0; k < steps; k++) {
    if (k === 1 && changeLrTo !== undefined) setOptimizerLearningRate(optimizer, changeLrTo)
    tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.scalar(2) }))
    out.push(w.dataSync()[0] as number)
  }
  disposeOptimizer(optimizer)
  w.dispose()
  return out
}

describe('createOptimizer', () => {
  it('sgd uses momentum 0.9', () => {
    // v1 = 2, w = 1 − 0.1·2 = 0.8; v2 = 0.9·2 + 2 = 3.8, w = 0.8 − 0.38 = 0.42
    const [a, b] = trajectory('sgd', 0.1, 2)
    expect(a).toBeCloseTo(0.8, 6)
    expect(b).toBeCloseTo(0.42, 6)
  })

  it('adam moves by about lr on its first step', () => {
    expect(trajectory('adam', 0.1, 1)[0]).toBeCloseTo(0.9, 5)
  })

  it('rmsprop (decay 0.9) moves by lr·g/√(0.1·g²) on its first step', () => {
    expect(trajectory('rmsprop', 0.1, 1)[0]).toBeCloseTo(1 - 0.1 / Math.sqrt(0.1), 4)
  })

  it('changes the learning rate in place for every kind', () => {
    expect(trajectory('sgd', 0.1, 2, 0.01)[1]).toBeCloseTo(0.8 - 0.038, 6)
    for (const kind of ['adam', 'rmsprop'] as const) {
      const fast = trajectory(kind, 0.1, 2)
      const slowed = trajectory(kind, 0.1, 2, 0.001)
      expect((fast[0] as number) - (fast[1] as number)).toBeGreaterThan(50 * ((slowed[0] as number) - (slowed[1] as number)))
    }
  })

  it('frees all of its state on dispose, including momentum SGD\'s cached learning rate', () => {
    const before = tf.memory().numTensors
    for (const kind of ['adam', 'sgd', 'rmsprop'] as const) trajectory(kind, 0.1, 2, 0.05)
    expect(tf.memory().numTensors).toBe(before)
  })
})
