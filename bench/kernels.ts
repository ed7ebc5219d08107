// `node bin/run-ts.mjs bench/kernels.ts`: the stock wasm kernels against ours at the shapes of
// a ConvLSTM training step (M config), same process, stock first.
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { registerWasmKernels } from '../src/core/kernels/register'

await tf.setBackend('wasm')
await tf.ready()

const inputs = {
  x4: tf.randomNormal([32, 8, 8, 256]),
  rows: tf.randomNormal([2048, 256]),
  a: tf.randomNormal([2048, 67]),
  b: tf.randomNormal([2048, 256]),
  seq: tf.randomNormal([32, 12, 8, 8, 64]),
}
const cases: Record<string, () => tf.Tensor> = {
  'Transpose [32,8,8,256] → [8,8,32,256]': () => tf.transpose(inputs.x4, [1, 2, 0, 3]),
  'Sum [2048,256] over axis 0': () => tf.sum(inputs.rows, 0),
  'Tanh 524k': () => tf.tanh(inputs.x4),
  'MatMul aᵀ·b [67×2048]·[2048×256]': () => tf.matMul(inputs.a, inputs.b, true, false),
  'Slice last step of [32,12,8,8,64]': () => tf.slice(inputs.seq, [0, 11, 0, 0, 0], [32, 1, 8, 8, 64]),
  'Conv2D backprop input 3×3 67→256 (M)': () => tf.conv2dTranspose(inputs.x4 as tf.Tensor4D, tf.ones([3, 3, 67, 256]) as tf.Tensor4D, [32, 8, 8, 67], 1, 'same'),
}

// tidy callbacks return nothing: a returned typed array would be walked element by element as a container
function once(run: () => tf.Tensor): void {
  tf.tidy(() => {
    run().dataSync()
  })
}

function time(run: () => tf.Tensor): number {
  once(run)
  const times: number[] = []
  for (let k = 0; k < 5; k++) {
    const start = performance.now()
    once(run)
    times.push(performance.now() - start)
  }
  return times.sort((p, q) => p - q)[2]!
}

const stock = Object.fromEntries(Object.entries(cases).map(([name, run]) => [name, time(run)]))
registerWasmKernels()
for (const [name, run] of Object.entries(cases)) {
  const ours = time(run)
  console.log(`${name.padEnd(40)} stock ${stock[name]!.toFixed(2).padStart(8)} ms   ours ${ours.toFixed(2).padStart(8)} ms   ${(stock[name]! / ours).toFixed(1)}×`)
}
tf.dispose(Object.values(inputs))
