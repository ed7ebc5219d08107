import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { ClipcastError } from '../shared/errors'
import { startDataParallel } from './kernels/parallel'
import { registerWasmKernels } from './kernels/register'
import { activateWebGpu, adapterLabel, adapterVersions } from './webgpu'

export type BackendChoice = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu'

export interface BackendResult {
  /** What the run records: 'tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm' or 'cpu'. */
  name: string
  tfjsVersion: string
  /** Why this backend: the choice, and what was tried before it and why it was passed over. */
  reason: string
  /** Candidates tried before the chosen one, each 'name: why not'. */
  skipped: string[]
  /** Threads the backend computes with (wasm: 2 with the data-parallel partner thread, else 1: Node forces wasm threads off). */
  threads: number
  /** Our kernels registered for this backend (wasm: gradient and fused ConvLSTM kernels). */
  kernels: string[]
  /** The GPU it computes on: the WebGPU adapter ('llvmpipe: Mesa 25.0.7 … (vulkan)') or 'CUDA'; absent on the CPU. */
  device?: string
  /** What the run records about that device (webgpu: gpuVendor, gpuArchitecture, gpuDevice, gpuDescription, dawnBackend). */
  deviceVersions: Record<string, string>
}

/** auto's order: CUDA, a hardware WebGPU adapter, native TensorFlow, wasm, cpu. */
export const AUTO_ORDER = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']

// not named `require`: electron-vite's ESM shim declares a top-level `require` in any chunk that calls one
const loadPackage = createRequire(import.meta.url)

/** Loads a native binding package; a missing package or library is a reason, not a crash. */
export function tryNative(pkg: string): string | null {
  try {
    loadPackage(pkg)
    return null
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'failed to load'
  }
}

export interface BackendOptions {
  /**
   * wasm only: run the fused ConvLSTM layer on two threads (a partner worker with its own wasm
   * instance takes half of each large enough batch; it starts in the background). Default: on
   * when the machine has two or more cores, unless CLIPCAST_WASM_DATA_PARALLEL=0.
   */
  dataParallel?: boolean
}

/**
 * Chooses the TensorFlow.js backend: `auto` tries tfjs-node-gpu (only with a CUDA device in
 * use), WebGPU through Dawn (only on a hardware adapter), tfjs-node, wasm, then cpu, so the GPU
 * and native paths win whenever they work; `webgpu` forced takes a software adapter too; any other choice
 * is forced and fails clearly (BACKEND_UNAVAILABLE) when unavailable. On wasm our kernels are
 * registered (the missing Conv2DBackpropFilter, faster gradients, the fused ConvLSTM layer).
 */
export async function selectBackend(choice: BackendChoice = 'auto', log?: (line: string) => void, options: BackendOptions = {}): Promise<BackendResult> {
  const skipped: string[] = []
  const candidates = choice === 'auto' ? AUTO_ORDER : choice === 'tensorflow' ? ['tensorflow-gpu', 'tensorflow'] : [choice]
  for (const name of candidates) {
    const activated = await activate(name, choice !== 'auto')
    if ('device' in activated) {
      const kernels = name === 'wasm' ? registerWasmKernels() : []
      // started in the background: selection stays fast, and steps run on one thread until the partner is ready
      const parallel = name === 'wasm' && (options.dataParallel ?? process.env.CLIPCAST_WASM_DATA_PARALLEL !== '0') && availableParallelism() >= 2
      if (parallel) void startDataParallel()
      const result: BackendResult = {
        name,
        tfjsVersion: tf.version.tfjs,
        reason: `${choice === 'auto' ? 'auto' : `${choice} chosen`}: ${name}${skipped.length > 0 ? ` (passed over ${skipped.join('; ')})` : ''}`,
        skipped,
        threads: parallel ? 2 : threadCount(name),
        kernels,
        ...(activated.device === undefined ? {} : { device: activated.device }),
        deviceVersions: activated.versions,
      }
      log?.(`backend ${result.name}${result.device ? ` on ${result.device}` : ''}, ${result.threads} thread(s), tfjs ${result.tfjsVersion}; ${result.reason}`)
      return result
    }
    skipped.push(`${name}: ${activated.reason}`)
  }
  throw new ClipcastError('BACKEND_UNAVAILABLE', `The ${choice} backend is not available here (${skipped.join('; ')}).`, {
    hint: choice === 'tensorflow'
      ? 'Install @tensorflow/tfjs-node (or tfjs-node-gpu with CUDA), or set {backend} to auto, wasm or cpu.'
      : choice === 'webgpu'
        ? 'WebGPU needs the webgpu package and a GPU driver Dawn can use (Vulkan on Linux, Metal on macOS, D3D12 on Windows); the list of backends says what is missing. Or set {backend} to auto.'
        : 'Set {backend} to auto.',
    details: { choice, skipped, settings: ['backend'] },
  })
}

export function threadCount(name: string): number {
  if (name === 'wasm') {
    // the package reports its XNNPACK pool size; under Node it never starts threads
    const wasm = loadPackage('@tensorflow/tfjs-backend-wasm') as { getThreadsCount?: () => number }
    const count = wasm.getThreadsCount?.() ?? 1
    return count > 0 ? count : 1
  }
  // webgpu: one thread dispatches, the GPU computes
  if (name === 'cpu' || name === 'webgpu') return 1
  // TensorFlow's intra-op pool: all cores unless TF_NUM_INTRAOP_THREADS says otherwise
  const forced = Number(process.env.TF_NUM_INTRAOP_THREADS)
  return Number.isInteger(forced) && forced > 0 ? forced : availableParallelism()
}

type Activation = { device: string | undefined; versions: Record<string, string> } | { reason: string }
const ON_CPU: Activation = { device: undefined, versions: {} }

async function activate(name: string, forced: boolean): Promise<Activation> {
  if (name === 'webgpu') {
    const result = await activateWebGpu(forced)
    return 'info' in result ? { device: adapterLabel(result.info), versions: adapterVersions(result.info) } : result
  }
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'
    const reason = tryNative(pkg)
    if (reason !== null) return { reason: `${pkg} not installed (${reason})` }
    if (!(await tf.setBackend('tensorflow'))) return { reason: `${pkg} loaded but its backend did not start` }
    if (name === 'tensorflow') return ON_CPU
    // the GPU package runs on the CPU when TensorFlow finds no CUDA device (or no matching CUDA/cuDNN)
    const usingGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true
    return usingGpu ? { device: 'CUDA', versions: { gpuDevice: 'CUDA' } } : { reason: `${pkg} loaded, but TensorFlow uses no CUDA device` }
  }
  try {
    if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm')
    const ok = await tf.setBackend(name)
    await tf.ready()
    return ok ? ON_CPU : { reason: 'backend failed to initialise' }
  } catch (error) {
    return { reason: (error as Error).message.split('\n')[0] ?? 'failed to initialise' }
  }
}
