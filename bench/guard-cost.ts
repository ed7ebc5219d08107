// `npm run bench:guard [-- --backend wasm|webgpu] [--config S|M] [--steps N]`
// What the divergence guard costs per step, two ways, on the product's engine:
// (a) read: the step downloads its one statistics vector (loss, norms, finite) and decides
//     apply-or-skip on the host, before the update (what Trainer.step does);
// (b) device: no download; the update is applied, then every weight and optimizer slot is
//     put back where a device flag says the step was not finite (tf.where per tensor), which
//     is the least a device-side decision has to do, since Adam's update changes its slots too.
// Both are timed as the extra cost on top of the same forward/backward/update.
import * as tf from '@tensorflow/tfjs'
import { selectBackend, type BackendChoice } from '../src/core/backend'
import { createModel } from '../src/core/model/convlstm'
import { gradientStats } from '../src/core/train/grad-norms'
import { BENCH_CONFIGS, type BenchConfigName } from './engine-step'
import { loadAverage, option } from './bench-args'

const backend = (option('--backend') ?? 'wasm') as BackendChoice
const config = (option('--config') ?? 'S') as BenchConfigName
const steps = Number(option('--steps') ?? 20)

const chosen = await selectBackend(backend)
const [batch, time, rows, cols, channels, filters] = BENCH_CONFIGS[config]
const model = createModel({ layout: 'grid', inputShape: [time, rows, cols, channels], layers: 1, filters, kernel: 3, norm: 'none', init: 'glorot', horizon: 1, targets: channels, seed: 7 })
const optimizer: tf.Optimizer = tf.train.adam(1e-3)
const x = tf.randomNormal([batch, time, rows, cols, channels], 0, 1, 'float32', 1) as tf.Tensor5D
const y = tf.randomNormal([batch, 1, channels], 0, 1, 'float32', 2) as tf.Tensor3D

/** One step's forward, backward and statistics; the stats vector is returned undownloaded. */
function compute(): { grads: tf.NamedTensorMap; stats: tf.Tensor1D } {
  const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, model.predict(x)) as tf.Scalar, model.variables)
  const stats = tf.tidy(() => tf.concat([tf.reshape(value, [1]), gradientStats(model.variableNames, model.variables.map((v) => grads[v.name]!))]) as tf.Tensor1D)
  value.dispose()
  return { grads, stats }
}

/** Waits for the device to finish (one float, not the guard's statistics). */
async function settle(): Promise<void> {
  const probe = tf.sum(model.variables[0]!)
  await probe.data()
  probe.dispose()
}

async function timed(mode: 'none' | 'read' | 'device'): Promise<number> {
  const start = performance.now()
  const { grads, stats } = compute()
  if (mode === 'read') {
    const values = await stats.data()
    if (values.every(Number.isFinite)) optimizer.applyGradients(grads)
    await settle()
  } else if (mode === 'none') {
    optimizer.applyGradients(grads)
    await settle()
  } else {
    const weights = await optimizer.getWeights()
    const guarded = [...model.variables, ...weights.slice(1).map((w) => w.tensor as tf.Variable)]
    const before = guarded.map((v) => v.clone())
    optimizer.applyGradients(grads)
    tf.tidy(() => {
      const ok = tf.all(tf.isFinite(stats))
      guarded.forEach((v, k) => v.assign(tf.where(ok, v, before[k]!)))
    })
    tf.dispose([...before, weights[0]!.tensor])
    await settle()
  }
  tf.dispose([stats, ...Object.values(grads)])
  return performance.now() - start
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
console.log(`load average ${loadAverage()}; backend ${chosen.name}${chosen.device ? ` on ${chosen.device}` : ''}, config ${config}, ${steps} steps each, interleaved`)
for (let k = 0; k < 2; k++) for (const mode of ['none', 'read', 'device'] as const) await timed(mode)
const times = { none: [] as number[], read: [] as number[], device: [] as number[] }
for (let k = 0; k < steps; k++) for (const mode of ['none', 'read', 'device'] as const) times[mode].push(await timed(mode))
const base = median(times.none)
for (const mode of ['read', 'device'] as const) {
  const ms = median(times[mode])
  console.log(`${mode === 'read' ? '(a) one readback, host decides' : '(b) decided on the device'}: ${ms.toFixed(1)} ms/step, ${(ms - base).toFixed(2)} ms over the unguarded step (${base.toFixed(1)} ms, ${((ms / base - 1) * 100).toFixed(1)}%)`)
}
console.log(`load average ${loadAverage()}`)
