import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createModel, type ConvLstmModel } from '../../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../../src/core/model/spec'
import { computeLoss } from '../../../../src/core/train/losses'
import { autoClipThresholds } from '../../../../src/core/train/autoclip'
import { createTrainer, type StepResult, type Trainer, type TrainerOptions } from '../../../../src/core/train/step'
import { weightsOf } from '../../../helpers/weights'

const spec: ModelSpec = { layout: 'subseq', inputShape: [3, 1, 4, 2], layers: 1, filters: 2, kernel: 3, norm: 'none', init: 'glorot', horizon: 2, targets: 2, seed: 7 }
const options: TrainerOptions = { loss: 'mse', optimizer: 'adam', lr: 0.01, clip: 'none', clipThreshold: 1, l1: 0, l2: 0 }

let x: tf.Tensor5D
let y: tf.Tensor3D
const open: Array<{ dispose(): void }> = []

beforeAll(async () => {
  await tf.setBackend('cpu')
  x = tf.randomNormal([4, ...spec.inputShape], 0, 1, 'float32', 1) as tf.Tensor5D
  y = tf.randomNormal([4, spec.horizon, spec.targets], 0, 1, 'float32', 2) as tf.Tensor3D
})

afterEach(() => {
  open.splice(0).forEach((thing) => thing.dispose())
})

function setup(trainerOptions: Partial<TrainerOptions> = {}, modelSpec: Partial<ModelSpec> = {}): { model: ConvLstmModel; trainer: Trainer } {
  const model = createModel({ ...spec, ...modelSpec })
  const trainer = createTrainer(model, { ...options, ...trainerOptions })
  open.push(trainer, model)
  return { model, trainer }
}

/** Every weight, flattened in variable order. */
function flatWeights(model: ConvLstmModel): number[] {
  return [...weightsOf(model).values()].flatMap((w) => Array.from(w))
}

function maxDifference(a: number[], b: number[]): number {
  return Math.max(...a.map((v, k) => Math.abs(v - (b[k] as number))))
}

/** The results of `count` steps on the one batch, in order. */
async function stepsOf(trainer: Trainer, count: number): Promise<StepResult[]> {
  const results: StepResult[] = []
  for (let k = 0; k < count; k++) results.push(await trainer.step(x, y))
  return results
}

/** Weights after `steps` steps with these options. */
async function weightsAfter(trainerOptions: Partial<TrainerOptions>, steps = 1, modelSpec: Partial<ModelSpec> = {}): Promise<number[]> {
  const { model, trainer } = setup(trainerOptions, modelSpec)
  for (let k = 0; k < steps; k++) await trainer.step(x, y)
  return flatWeights(model)
}

describe('Trainer.step', () => {
  it('lowers the loss of a batch it trains on', async () => {
    const { trainer } = setup({ lr: 0.05 })
    const first = await trainer.step(x, y)
    for (let k = 0; k < 15; k++) await trainer.step(x, y)
    expect(first.applied).toBe(true)
    expect(await trainer.evaluate(x, y)).toBeLessThan(0.8 * first.loss)
  })

  it('reports the pre-clip global norm of the gradients, split by layer and by gate', async () => {
    const { model, trainer } = setup({ clip: 'norm', clipThreshold: 1e-3 })
    const { grads } = tf.variableGrads(() => computeLoss('mse', model.predict(x), y), model.variables)
    const expected = Math.sqrt(Object.values(grads).reduce((s, g) => s + (tf.tidy(() => tf.sum(tf.square(g)).dataSync()[0]) as number), 0))
    tf.dispose(Object.values(grads))
    const result = await trainer.step(x, y)
    expect(result.preClipNorm).toBeCloseTo(expected, 5)
    expect(result.clipped).toBe(true)
    const n = result.layerNorms
    expect(Object.keys(n).sort()).toEqual(['head', 'layer0', 'layer0/f', 'layer0/g', 'layer0/i', 'layer0/o'])
    expect(Math.hypot(n.layer0 as number, n.head as number)).toBeCloseTo(result.preClipNorm, 5)
    // without layer norm a layer is its kernel and bias, and both split exactly into the four gates
    expect(Math.hypot(...['i', 'f', 'g', 'o'].map((gate) => n[`layer0/${gate}`] as number))).toBeCloseTo(n.layer0 as number, 5)
  })

  it('is reproducible: the same seed and batches give the same weights', async () => {
    expect(await weightsAfter({}, 3)).toEqual(await weightsAfter({}, 3))
  })

  it.each([
    ['loss mae', { loss: 'mae' }],
    ['loss huber', { loss: 'huber' }],
    ['optimizer sgd', { optimizer: 'sgd' }],
    ['optimizer rmsprop', { optimizer: 'rmsprop' }],
    ['clip norm', { clip: 'norm', clipThreshold: 0.05 }],
    ['clip value', { clip: 'value', clipThreshold: 0.005 }],
    ['l1', { l1: 0.5 }],
    ['l2', { l2: 0.5 }],
  ] as const)('changes the update when %s is set', async (_, change) => {
    // SGD as the reference for the loss, clipping and penalty options, since Adam's first step is nearly sign(g)·lr
    const reference = 'optimizer' in change ? {} : { optimizer: 'sgd' as const, lr: 0.5 }
    expect(maxDifference(await weightsAfter({ ...reference }, 2), await weightsAfter({ ...reference, ...change }, 2))).toBeGreaterThan(1e-5)
  })

  it('changes the update with each model option (norm, init, layers, filters, kernel)', async () => {
    const changes: Array<Partial<ModelSpec>> = [{ norm: 'layer' }, { init: 'he' }, { init: 'orthogonal' }, { layers: 2 }, { filters: 3 }, { kernel: 1 }]
    const reference = await setup().trainer.step(x, y)
    for (const change of changes) {
      const result = await setup({}, change).trainer.step(x, y)
      expect(Math.abs(result.loss - reference.loss) + Math.abs(result.preClipNorm - reference.preClipNorm), JSON.stringify(change)).toBeGreaterThan(1e-6)
    }
  })

  it('reports the penalty separately from the data loss', async () => {
    const { model, trainer } = setup({ l1: 0.1, l2: 0.01 })
    const weights = weightsOf(model)
    const kernels = ['layer0/kernel', 'head/kernel'].flatMap((name) => Array.from(weights.get(name) as Float32Array))
    const expected = 0.1 * kernels.reduce((s, w) => s + Math.abs(w), 0) + 0.01 * kernels.reduce((s, w) => s + w * w, 0)
    const lossBefore = await trainer.evaluate(x, y)
    const result = await trainer.step(x, y)
    expect(result.penalty).toBeCloseTo(expected, 4)
    expect(result.loss).toBeCloseTo(lossBefore, 5)
  })

  it('clips by norm so that the first SGD update has norm lr·threshold exactly', async () => {
    const { model, trainer } = setup({ optimizer: 'sgd', lr: 0.1, clip: 'norm', clipThreshold: 0.01 })
    const before = flatWeights(model)
    const result = await trainer.step(x, y)
    expect(result.preClipNorm).toBeGreaterThan(0.01)
    expect(result.clipped).toBe(true)
    const after = flatWeights(model)
    // momentum's first step is plain SGD: Δw = −lr·ĝ
    expect(Math.hypot(...after.map((w, k) => w - (before[k] as number)))).toBeCloseTo(0.1 * 0.01, 6)
  })

  it('does not clip by norm below the threshold', async () => {
    const plain = await weightsAfter({ optimizer: 'sgd', lr: 0.1 })
    const clippedOff = setup({ optimizer: 'sgd', lr: 0.1, clip: 'norm', clipThreshold: 1e6 })
    const result = await clippedOff.trainer.step(x, y)
    expect(result.clipped).toBe(false)
    expect(flatWeights(clippedOff.model)).toEqual(plain)
  })

  it('clips by value so that no element of the first SGD update exceeds lr·threshold', async () => {
    const { model, trainer } = setup({ optimizer: 'sgd', lr: 0.1, clip: 'value', clipThreshold: 0.001 })
    const before = flatWeights(model)
    const result = await trainer.step(x, y)
    expect(result.clipped).toBe(true)
    const steps = flatWeights(model).map((w, k) => Math.abs(w - (before[k] as number)))
    expect(Math.max(...steps)).toBeCloseTo(0.1 * 0.001, 6)
    expect(Math.max(...steps)).toBeLessThanOrEqual(0.1 * 0.001 + 1e-7) // float32 rounding of w ≈ 0.5 is ~3e-8
  })

  it('clips each tensor by its own norm: the first SGD update of a variable is lr·g·min(1, T/‖g‖)', async () => {
    const threshold = 0.02
    const start = createModel(spec)
    open.push(start)
    const before = weightsOf(start)
    const { model: unclipped, trainer: plainTrainer } = setup({ optimizer: 'sgd', lr: 0.1 })
    await plainTrainer.step(x, y)
    const { model, trainer } = setup({ optimizer: 'sgd', lr: 0.1, clip: 'tensor', clipThreshold: threshold })
    const result = await trainer.step(x, y)
    expect(result.clipped).toBe(true)
    expect(result.clipThreshold).toBe(threshold)
    const after = weightsOf(model)
    let scaledSome = false
    for (const [name, plainAfter] of weightsOf(unclipped)) {
      // by hand: g = (w0 − w1) / lr from the unclipped step, then each tensor's own scale
      const gradient = Array.from(plainAfter, (w, k) => ((before.get(name) as Float32Array)[k]! - w) / 0.1)
      const scale = Math.min(1, threshold / Math.hypot(...gradient))
      if (scale < 1) scaledSome = true
      const expected = gradient.map((g, k) => (before.get(name) as Float32Array)[k]! - 0.1 * g * scale)
      expect(maxDifference(Array.from(after.get(name) as Float32Array), expected)).toBeLessThan(2e-6)
    }
    expect(scaledSome).toBe(true)
  })

  it('clips with AutoClip at the running percentile of the global norms, the current one included', async () => {
    const { trainer } = setup({ optimizer: 'sgd', lr: 0.05, clip: 'auto', clipPercentile: 10 })
    const results = await stepsOf(trainer, 5)
    const expected = autoClipThresholds(results.map((r) => r.preClipNorm), 10)
    results.forEach((r, k) => {
      expect(r.clipThreshold).toBeCloseTo(expected[k]!, 6)
      expect(r.clipped).toBe(Math.fround(r.preClipNorm) > expected[k]!)
    })
    // the first step is its own percentile, so it is never clipped
    expect(results[0]!.clipped).toBe(false)
    expect(trainer.getClipHistory().seen).toBe(5)
  })

  it('applies nothing when the input holds a NaN (reliability 8)', async () => {
    const { model, trainer } = setup()
    const before = flatWeights(model)
    const poisoned = tf.tidy(() => tf.concat([tf.fill([1, ...spec.inputShape], NaN), tf.slice(x, [1], [-1])])) as tf.Tensor5D
    const result = await trainer.step(poisoned, y)
    poisoned.dispose()
    expect(result).toMatchObject({ finite: false, applied: false })
    expect(Number.isNaN(result.loss)).toBe(true)
    expect(flatWeights(model)).toEqual(before)
    // and the next healthy step trains as if the bad one never happened
    expect((await trainer.step(x, y)).applied).toBe(true)
    expect(flatWeights(model)).toEqual(await weightsAfter({}, 1))
  })

  it('applies nothing when the loss is above the spike limit it is given', async () => {
    const { model, trainer } = setup()
    const before = flatWeights(model)
    const loss = await trainer.evaluate(x, y)
    const spiked = await trainer.step(x, y, { maxLoss: loss / 2 })
    expect(spiked).toMatchObject({ finite: true, spike: true, applied: false })
    expect(spiked.loss).toBeCloseTo(loss, 5)
    expect(flatWeights(model)).toEqual(before)
    expect(await trainer.step(x, y, { maxLoss: loss * 2 })).toMatchObject({ spike: false, applied: true })
    expect(flatWeights(model)).toEqual(await weightsAfter({}, 1))
  })

  it('applies nothing when a learning rate of 1e3 drives the gradients non-finite', async () => {
    const { model, trainer } = setup({ optimizer: 'sgd', lr: 1e3 })
    let before = flatWeights(model)
    for (let k = 0; k < 12; k++) {
      const result = await trainer.step(x, y)
      const after = flatWeights(model)
      if (!result.applied) {
        expect(result.finite).toBe(false)
        expect(after).toEqual(before)
        expect(after.every(Number.isFinite)).toBe(true)
        return
      }
      before = after
    }
    expect.unreachable('twelve SGD steps at lr 1e3 should have produced a non-finite step')
  })

  it('keeps an exploding setting bounded with norm clipping where it blows up without (reliability 9)', async () => {
    const run = async (clip: 'none' | 'norm') => {
      const { trainer } = setup({ optimizer: 'sgd', lr: 1e3, clip, clipThreshold: 1 })
      const results = []
      for (let k = 0; k < 10; k++) results.push(await trainer.step(x, y))
      return results
    }
    const free = await run('none')
    const clipped = await run('norm')
    // without clipping the pre-clip norm grows by orders of magnitude, then turns non-finite
    expect(Math.max(...free.filter((r) => r.finite).map((r) => r.preClipNorm))).toBeGreaterThan(1e10)
    expect(free.some((r) => !r.finite)).toBe(true)
    // with it every step stays finite and applied, with norms bounded
    expect(clipped.every((r) => r.finite && r.applied && Number.isFinite(r.loss))).toBe(true)
    expect(Math.max(...clipped.map((r) => r.preClipNorm))).toBeLessThan(1e5)
    expect(clipped.filter((r) => r.clipped).length).toBeGreaterThan(5)
  })

  it('leaks no tensors over steps and none after dispose', async () => {
    const before = tf.memory().numTensors
    for (const trainerOptions of [{ clip: 'norm', l1: 0.1, l2: 0.1 }, { optimizer: 'sgd', clip: 'value' }, { optimizer: 'rmsprop' }] as const) {
      const model = createModel({ ...spec, norm: 'layer', layers: 2 })
      const trainer = createTrainer(model, { ...options, ...trainerOptions })
      await trainer.step(x, y) // creates the optimizer's slots
      const afterFirst = tf.memory().numTensors
      await trainer.step(x, y)
      await trainer.step(x, y)
      await trainer.evaluate(x, y)
      trainer.setLearningRate(0.001)
      expect(tf.memory().numTensors).toBe(afterFirst)
      trainer.dispose()
      model.dispose()
    }
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe('Trainer controls', () => {
  it('evaluates without regularisation and without changing the weights', async () => {
    const { model, trainer } = setup({ l2: 1 })
    const before = flatWeights(model)
    const loss = await trainer.evaluate(x, y)
    expect(loss).toBeCloseTo(tf.tidy(() => computeLoss('mse', model.predict(x), y).dataSync()[0] as number), 6)
    expect(flatWeights(model)).toEqual(before)
  })

  it('uses a new learning rate and clip setting from the next step on', async () => {
    const lowered = setup({ optimizer: 'sgd', lr: 0.5 })
    lowered.trainer.setLearningRate(0.01)
    expect(flatWeights(lowered.model)).toEqual(await weightsAfter({ optimizer: 'sgd', lr: 0.5 }, 0))
    await lowered.trainer.step(x, y)
    expect(flatWeights(lowered.model)).toEqual(await weightsAfter({ optimizer: 'sgd', lr: 0.01 }))

    const clipped = setup({ optimizer: 'sgd', lr: 0.5 })
    clipped.trainer.setClip('norm', 0.01)
    expect((await clipped.trainer.step(x, y)).clipped).toBe(true)
    expect(flatWeights(clipped.model)).toEqual(await weightsAfter({ optimizer: 'sgd', lr: 0.5, clip: 'norm', clipThreshold: 0.01 }))
    expect(clipped.trainer.options).toMatchObject({ clip: 'norm', clipThreshold: 0.01 })
    expect(() => clipped.trainer.setLearningRate(0)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })

  it.each(['adam', 'sgd', 'rmsprop'] as const)('resumes %s from saved weights and optimizer state exactly', async (optimizer) => {
    const original = setup({ optimizer })
    for (let k = 0; k < 3; k++) await original.trainer.step(x, y)
    const weights = weightsOf(original.model)
    const state = await original.trainer.getOptimizerState()
    expect(state.name).toBe(optimizer)
    expect(state.tensors[0]).toMatchObject({ name: 'iter', values: new Float32Array([3]) })
    expect(state.tensors.map((t) => t.name)).toContain(`layer0/kernel/${{ adam: 'm', sgd: 'momentum', rmsprop: 'rms' }[optimizer]}`)

    const resumed = setup({ optimizer }, { seed: 1234 })
    resumed.model.setWeights(weights)
    await resumed.trainer.setOptimizerState(state)
    await original.trainer.step(x, y)
    await resumed.trainer.step(x, y)
    expect(flatWeights(resumed.model)).toEqual(flatWeights(original.model))
  })

  it('refuses optimizer state of another optimizer or another model, and accepts a state saved before any step', async () => {
    const adam = setup({ optimizer: 'adam' })
    await adam.trainer.step(x, y)
    const state = await adam.trainer.getOptimizerState()
    await expect(setup({ optimizer: 'sgd' }).trainer.setOptimizerState(state)).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' })
    await expect(setup({ optimizer: 'adam' }, { filters: 3 }).trainer.setOptimizerState(state)).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' })
    await expect(setup({ optimizer: 'adam' }, { norm: 'layer' }).trainer.setOptimizerState(state)).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' })

    const fresh = setup({ optimizer: 'adam' })
    const empty = await fresh.trainer.getOptimizerState()
    expect(empty.tensors.map((t) => t.name)).toEqual(['iter'])
    const other = setup({ optimizer: 'adam' })
    await other.trainer.setOptimizerState(empty)
    await fresh.trainer.step(x, y)
    await other.trainer.step(x, y)
    expect(flatWeights(other.model)).toEqual(flatWeights(fresh.model))
  })

  it('leaks no tensors saving and restoring optimizer state', async () => {
    const { trainer } = setup()
    await trainer.step(x, y)
    const before = tf.memory().numTensors
    for (let k = 0; k < 2; k++) await trainer.setOptimizerState(await trainer.getOptimizerState())
    expect(tf.memory().numTensors).toBe(before)
  })
})
