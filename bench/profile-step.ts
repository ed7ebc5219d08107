// `node bin/run-ts.mjs bench/profile-step.ts M [wasm]`: where one training step of the product's
// engine spends its time, per kernel (tf.profile; wasm kernels run synchronously, so kernel
// time is wall time).
import * as tf from '@tensorflow/tfjs'
import { selectBackend, type BackendChoice } from '../src/core/backend'
import { dataParallelActive, dataParallelStarting } from '../src/core/kernels/parallel'
import { createModel } from '../src/core/model/convlstm'
import { createTrainer } from '../src/core/train/step'
import { BENCH_CONFIGS, type BenchConfigName } from './engine-step'

const config = (process.argv[2] ?? 'M') as BenchConfigName
await selectBackend((process.argv[3] ?? 'wasm') as BackendChoice)
await dataParallelStarting()
const [batch, time, rows, cols, channels, filters] = BENCH_CONFIGS[config]
const model = createModel({ layout: 'grid', inputShape: [time, rows, cols, channels], layers: 1, filters, kernel: 3, norm: 'none', init: 'glorot', horizon: 1, targets: channels, seed: 7 })
const trainer = createTrainer(model, { loss: 'mse', optimizer: 'adam', lr: 1e-3, clip: 'norm', clipThreshold: 1, l1: 0, l2: 0 })
const x = tf.randomNormal([batch, time, rows, cols, channels]) as tf.Tensor5D
const y = tf.randomNormal([batch, 1, channels]) as tf.Tensor3D
await trainer.step(x, y)
const start = performance.now()
const profile = await tf.profile(async () => {
  await trainer.step(x, y)
})
const wallMs = performance.now() - start
const byKernel = new Map<string, { ms: number; calls: number }>()
for (const k of profile.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 }
  entry.ms += Number(k.kernelTimeMs)
  entry.calls++
  byKernel.set(k.name, entry)
}
const rowsOut = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms)
console.log(`${config} on ${tf.getBackend()}${dataParallelActive() ? ' (2 threads, data-parallel)' : ''}: step ${wallMs.toFixed(1)} ms (profiled), kernels ${rowsOut.reduce((s, [, v]) => s + v.ms, 0).toFixed(1)} ms`)
for (const [name, { ms, calls }] of rowsOut.slice(0, 25)) console.log(`${name.padEnd(32)} ${ms.toFixed(1).padStart(9)} ms  ${String(calls).padStart(5)} calls`)
tf.dispose([x, y])
trainer.dispose()
model.dispose()
