import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/backend'
import { describeBackends } from '../../../src/core/backend-report'
import { createModel } from '../../../src/core/model/convlstm'
import type { ModelSpec } from '../../../src/core/model/spec'
import { createTrainer } from '../../../src/core/train/step'
import { adapterLabel, softwareAdapterReason, type GpuAdapterDescription } from '../../../src/core/webgpu'
import { webgpuAdapter, webgpuSkipReason } from '../../helpers/webgpu'

const adapter = (info: Partial<GpuAdapterDescription>): GpuAdapterDescription => ({ vendor: '', architecture: '', device: '', description: '', dawnBackend: 'vulkan', fallback: false, ...info })

describe('softwareAdapterReason', () => {
  it.each([
    ['Mesa llvmpipe (lavapipe)', adapter({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1' }), 'llvmpipe'],
    ['lavapipe by name', adapter({ vendor: 'mesa', description: 'lavapipe' }), 'lavapipe'],
    ['SwiftShader', adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }), 'SwiftShader'],
    ['Windows WARP', adapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver', dawnBackend: 'd3d12' }), 'Microsoft Basic Render'],
    ['a fallback adapter with a GPU-like name', adapter({ vendor: 'acme', description: 'Acme X1', fallback: true }), 'fallback'],
    ['an adapter that names nothing (Dawn\'s null backend)', adapter({ dawnBackend: 'null' }), 'does not name itself'],
  ])('calls %s a software adapter', (_, info, why) => {
    expect(softwareAdapterReason(info)).toMatch(new RegExp(why, 'i'))
  })

  it.each([
    ['NVIDIA on Vulkan', adapter({ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4070' })],
    ['Apple silicon on Metal', adapter({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2', dawnBackend: 'metal' })],
    ['AMD on D3D12', adapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7600', dawnBackend: 'd3d12' })],
    ['Intel integrated', adapter({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' })],
  ])('calls %s a hardware GPU', (_, info) => {
    expect(softwareAdapterReason(info)).toBeNull()
  })

  it('labels an adapter by its description and Dawn backend, else by vendor and device', () => {
    expect(adapterLabel(adapter({ description: 'Apple M2', dawnBackend: 'metal' }))).toBe('Apple M2 (metal)')
    expect(adapterLabel(adapter({ vendor: 'nvidia', device: 'rtx-4070' }))).toBe('nvidia rtx-4070 (vulkan)')
  })
})

describe.skipIf(webgpuAdapter === undefined)(`the webgpu backend on this machine's adapter${webgpuSkipReason}`, () => {
  const software = webgpuAdapter !== undefined && softwareAdapterReason(webgpuAdapter) !== null

  it('is used when forced, even on a software adapter, and names the adapter', async () => {
    const result = await selectBackend('webgpu')
    expect(result).toMatchObject({ name: 'webgpu', threads: 1, skipped: [] })
    expect(tf.getBackend()).toBe('webgpu')
    expect(result.device).toBe(adapterLabel(webgpuAdapter!))
    expect(result.deviceVersions).toEqual({
      gpuVendor: webgpuAdapter!.vendor,
      gpuArchitecture: webgpuAdapter!.architecture,
      gpuDevice: webgpuAdapter!.device,
      gpuDescription: webgpuAdapter!.description,
      dawnBackend: webgpuAdapter!.dawnBackend,
    })
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(0.5)).sum())
    expect(Array.from(await sum.data())).toEqual([7.5])
    sum.dispose()
  })

  it('runs the asynchronous training step: Adam with norm clipping as on cpu, and no tensors leak', async () => {
    const spec: ModelSpec = { layout: 'grid', inputShape: [2, 2, 2, 2], layers: 1, filters: 2, kernel: 3, norm: 'none', init: 'glorot', horizon: 1, targets: 2, seed: 3 }
    const steps = async (backend: string) => {
      await tf.setBackend(backend)
      const model = createModel(spec)
      const trainer = createTrainer(model, { loss: 'mse', optimizer: 'adam', lr: 1e-2, clip: 'norm', clipThreshold: 0.5, l1: 0, l2: 1e-4 })
      const x = tf.tensor5d(Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)), [2, 2, 2, 2, 2])
      const y = tf.tensor3d([0.5, -0.25, 1, 0], [2, 1, 2])
      // the first step creates the optimizer's slots; later ones must leave the count as it is
      const results = [await trainer.step(x, y)]
      const before = tf.memory().numTensors
      for (let k = 0; k < 2; k++) results.push(await trainer.step(x, y))
      const leaked = tf.memory().numTensors - before
      trainer.dispose()
      const weights = await model.readWeights()
      model.dispose()
      tf.dispose([x, y])
      return { results, leaked, weights }
    }
    const cpu = await steps('cpu')
    const gpu = await steps('webgpu')
    expect(gpu.leaked).toBe(0)
    gpu.results.forEach((r, k) => {
      expect(r).toMatchObject({ finite: true, applied: true, clipped: cpu.results[k]!.clipped })
      expect(Math.abs(r.loss - cpu.results[k]!.loss) / cpu.results[k]!.loss).toBeLessThan(1e-4)
      expect(Math.abs(r.preClipNorm - cpu.results[k]!.preClipNorm) / cpu.results[k]!.preClipNorm).toBeLessThan(1e-4)
    })
    for (const [name, values] of cpu.weights) expect(Math.max(...values.map((v, i) => Math.abs(v - gpu.weights.get(name)![i]!))), name).toBeLessThan(1e-4)
  })

  it.runIf(software)('is passed over by auto on a software adapter, with the reason', async () => {
    const result = await selectBackend('auto')
    expect(result.name).not.toBe('webgpu')
    expect(result.skipped.find((s) => s.startsWith('webgpu:'))).toMatch(/not a GPU/)
  })

  it('is listed by describeBackends in auto\'s order with its adapter', async () => {
    const backends = await describeBackends()
    expect(backends.map((b) => b.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'])
    expect(backends[1]).toMatchObject({ available: true, device: adapterLabel(webgpuAdapter!), threads: 1 })
    expect(backends[1]!.reason === null).toBe(!software)
    expect(backends[4]).toEqual({ name: 'cpu', available: true, reason: null, device: null, threads: 1 })
  })
})

const gpuPackageError = (() => {
  try {
    createRequire(import.meta.url)('@tensorflow/tfjs-node-gpu')
    return null
  } catch (error) {
    return (error as Error).message.split('\n')[0]!
  }
})()

describe('tfjs-node-gpu (CUDA)', () => {
  it.runIf(gpuPackageError === null)(`is taken by auto only with a CUDA device in use, and then named${gpuPackageError === null ? '' : ` (skipped: the package does not load here: ${gpuPackageError})`}`, async () => {
    const result = await selectBackend('auto')
    const cuda = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true
    if (cuda) expect(result).toMatchObject({ name: 'tensorflow-gpu', device: 'CUDA' })
    else expect(result.skipped.find((s) => s.startsWith('tensorflow-gpu:'))).toContain('no CUDA device')
  })

  it.skipIf(gpuPackageError === null)(`is passed over by auto when it does not load (here: ${gpuPackageError})`, async () => {
    const result = await selectBackend('auto')
    expect(result.name).not.toBe('tensorflow-gpu')
    expect(result.skipped[0]).toMatch(/^tensorflow-gpu: @tensorflow\/tfjs-node-gpu not installed/)
  })
})
