import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import type { BackendStatus } from '../shared/api'
import { AUTO_ORDER, threadCount, tryNative } from './backend'
import { adapterLabel, probeWebGpu, softwareAdapterReason } from './webgpu'

const resolvePackage = createRequire(import.meta.url).resolve

/**
 * Every backend in auto's order, whether it can run here and on what, without switching the
 * active backend: native packages are loaded, the WebGPU adapter is asked for, nothing computes.
 */
export async function describeBackends(): Promise<BackendStatus[]> {
  return Promise.all(AUTO_ORDER.map((name) => describe(name)))
}

async function describe(name: string): Promise<BackendStatus> {
  const off = (reason: string): BackendStatus => ({ name, available: false, reason, device: null, threads: 0 })
  if (name === 'webgpu') {
    const probe = await probeWebGpu()
    if ('reason' in probe) return off(probe.reason)
    const software = softwareAdapterReason(probe.info)
    return { name, available: true, reason: software === null ? null : `not a GPU (${software}): auto passes it over, choosing webgpu uses it`, device: adapterLabel(probe.info), threads: 1 }
  }
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'
    const failed = tryNative(pkg)
    if (failed !== null) return off(`${pkg} not installed (${failed})`)
    const threads = threadCount(name)
    if (name === 'tensorflow') return { name, available: true, reason: null, device: null, threads }
    // findBackend starts the (synchronous) native backend without making it the active one
    const cuda = (tf.findBackend('tensorflow') as { isUsingGpuDevice?: boolean } | null)?.isUsingGpuDevice === true
    return cuda ? { name, available: true, reason: null, device: 'CUDA', threads } : off(`${pkg} loaded, but TensorFlow uses no CUDA device`)
  }
  if (name === 'wasm') {
    try {
      resolvePackage('@tensorflow/tfjs-backend-wasm')
    } catch {
      return off('@tensorflow/tfjs-backend-wasm is not installed')
    }
    // the data-parallel partner thread, as selectBackend starts it
    const parallel = process.env.CLIPCAST_WASM_DATA_PARALLEL !== '0' && availableParallelism() >= 2
    return { name, available: true, reason: null, device: null, threads: parallel ? 2 : 1 }
  }
  return { name, available: true, reason: null, device: null, threads: 1 }
}
