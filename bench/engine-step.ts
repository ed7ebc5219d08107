import * as tf from '@tensorflow/tfjs'
import { selectBackend, type BackendChoice } from '../src/core/backend'
import { dataParallelActive, dataParallelStarting } from '../src/core/kernels/parallel'
import { createModel } from '../src/core/model/convlstm'
import { createTrainer } from '../src/core/train/step'
import { probeWebGpu, softwareAdapterReason } from '../src/core/webgpu'

/** B, T, H, W, C, F of the reference workload. */
export const BENCH_CONFIGS = {
  S: [16, 10, 8, 8, 3, 16],
  M: [32, 12, 8, 8, 3, 64],
  L: [16, 10, 32, 32, 3, 64],
} as const
export type BenchConfigName = keyof typeof BENCH_CONFIGS

export interface EngineResult {
  config: BenchConfigName
  backend: string
  threads: number
  msPerStep: number
  msSpread: number
  /** The GPU it ran on (the WebGPU adapter, CUDA), or null on the CPU. */
  device: string | null
  /** Why that adapter is a software one (its times then say nothing about a GPU), else null. */
  software: string | null
  tensorsLeaked: number
  peakRssMiB: number
  detail: string
}

const WARMUP_STEPS = 2
const HORIZON = 1

function quantile(sorted: number[], q: number): number {
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low)
}

/**
 * Times `steps` training steps of the product's engine — createModel + createTrainer, the
 * same code a run uses — on one config: one ConvLSTM layer (fused 3×3 'same' convolution over
 * [x_t, h_{t-1}] → 4F), the direct head (last hidden state → horizon × C), MSE, global-norm
 * clipping at 1, Adam 1e-3.
 */
export async function benchEngineStep(config: BenchConfigName, steps: number, backend: BackendChoice): Promise<EngineResult> {
  const chosen = await selectBackend(backend)
  // time the steady state: the data-parallel partner (wasm) starts in the background
  await dataParallelStarting()
  const threads = chosen.name === 'wasm' ? (dataParallelActive() ? 2 : 1) : chosen.threads
  const [batch, time, rows, cols, channels, filters] = BENCH_CONFIGS[config]
  const model = createModel({ layout: 'grid', inputShape: [time, rows, cols, channels], layers: 1, filters, kernel: 3, norm: 'none', init: 'glorot', horizon: HORIZON, targets: channels, seed: 7 })
  const trainer = createTrainer(model, { loss: 'mse', optimizer: 'adam', lr: 1e-3, clip: 'norm', clipThreshold: 1, l1: 0, l2: 0 })
  const x = tf.randomNormal([batch, time, rows, cols, channels], 0, 1, 'float32', 1) as tf.Tensor5D // [B, T, H, W, C]
  const y = tf.randomNormal([batch, HORIZON, channels], 0, 1, 'float32', 2) as tf.Tensor3D // [B, horizon, C]
  try {
    for (let k = 0; k < WARMUP_STEPS; k++) await trainer.step(x, y)
    const before = tf.memory().numTensors
    const times: number[] = []
    let lastLoss = NaN
    for (let k = 0; k < steps; k++) {
      const start = performance.now()
      lastLoss = (await trainer.step(x, y)).loss // the step reads its loss and norms back, so it has finished here
      times.push(performance.now() - start)
    }
    const tensorsLeaked = tf.memory().numTensors - before
    const sorted = [...times].sort((a, b) => a - b)
    const probe = chosen.name === 'webgpu' ? await probeWebGpu() : undefined
    return {
      config,
      backend: chosen.name,
      threads,
      msPerStep: quantile(sorted, 0.5),
      msSpread: quantile(sorted, 0.75) - quantile(sorted, 0.25),
      device: chosen.device ?? null,
      software: probe !== undefined && 'info' in probe ? softwareAdapterReason(probe.info) : null,
      tensorsLeaked,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      detail: `${steps} steps, min ${sorted[0]!.toFixed(1)} max ${sorted[sorted.length - 1]!.toFixed(1)} ms, last loss ${lastLoss.toFixed(4)}`,
    }
  } finally {
    tf.dispose([x, y])
    trainer.dispose()
    model.dispose()
  }
}
