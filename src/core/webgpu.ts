import * as tf from '@tensorflow/tfjs'

/** What the WebGPU adapter says about itself, plus the Dawn backend it runs on. */
export interface GpuAdapterDescription {
  vendor: string
  architecture: string
  device: string
  description: string
  /** Dawn's native API under WebGPU: 'vulkan', 'metal', 'd3d12', or 'default' when Dawn chose. */
  dawnBackend: string
  /** The adapter calls itself a fallback (software) adapter. */
  fallback: boolean
}

// CPU rasterisers that present themselves as GPUs: their timings say nothing about a GPU
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i

/**
 * Why the adapter is a software one (Mesa's llvmpipe/lavapipe, SwiftShader, WARP, a fallback
 * or nameless adapter), or null for a hardware GPU. `auto` only ever picks a hardware one.
 */
export function softwareAdapterReason(info: GpuAdapterDescription): string | null {
  const name = [info.vendor, info.architecture, info.device, info.description].join(' ')
  const match = SOFTWARE_NAMES.exec(name)
  if (match) return `${match[0]} is a software rasteriser`
  if (info.architecture.toLowerCase() === 'software') return 'its architecture is "software"'
  if (info.fallback) return 'it is a fallback (software) adapter'
  if (name.trim() === '') return 'the adapter does not name itself'
  return null
}

/** The adapter's name as people know it: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', 'Apple M2', … */
export function adapterLabel(info: GpuAdapterDescription): string {
  const name = info.description || [info.vendor, info.device || info.architecture].filter(Boolean).join(' ') || 'unnamed adapter'
  return `${name} (${info.dawnBackend})`
}

/** The run's record of the adapter (its `versions` map). */
export function adapterVersions(info: GpuAdapterDescription): Record<string, string> {
  return { gpuVendor: info.vendor, gpuArchitecture: info.architecture, gpuDevice: info.device, gpuDescription: info.description, dawnBackend: info.dawnBackend }
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>
}
interface DawnAdapter {
  info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean }
  isFallbackAdapter?: boolean
}

const PLATFORM_BACKEND: Partial<Record<NodeJS.Platform, string>> = { linux: 'vulkan', darwin: 'metal', win32: 'd3d12' }

let probed: Promise<{ gpu: DawnGpu; info: GpuAdapterDescription } | { reason: string }> | undefined

/**
 * Loads Dawn (the optional `webgpu` package) once and asks it for the high-performance adapter,
 * first on the platform's native API (so the run can name it), else on whatever Dawn picks.
 * A missing package or adapter is a reason, never a crash.
 */
export function probeWebGpu(): Promise<{ gpu: DawnGpu; info: GpuAdapterDescription } | { reason: string }> {
  probed ??= (async () => {
    let dawn: { create(options: string[]): DawnGpu; globals: Record<string, unknown> }
    try {
      dawn = (await import('webgpu')) as unknown as typeof dawn
    } catch (error) {
      return { reason: `the webgpu package (Dawn) did not load (${firstLine(error)})` }
    }
    const native = PLATFORM_BACKEND[process.platform]
    for (const dawnBackend of native ? [native, 'default'] : ['default']) {
      try {
        const gpu = dawn.create(dawnBackend === 'default' ? [] : [`backend=${dawnBackend}`])
        const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' })
        if (adapter === null) continue
        // the backend's shaders need GPUBufferUsage and the other WebGPU constants as globals
        for (const [name, value] of Object.entries(dawn.globals)) if (!(name in globalThis)) Object.assign(globalThis, { [name]: value })
        const { vendor = '', architecture = '', device = '', description = '' } = adapter.info
        return { gpu, info: { vendor, architecture, device, description, dawnBackend, fallback: Boolean(adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter) } }
      } catch (error) {
        if (dawnBackend === 'default') return { reason: `Dawn found no adapter (${firstLine(error)})` }
      }
    }
    return { reason: 'Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 driver with the features it needs)' }
  })()
  return probed
}

/**
 * Starts tfjs' webgpu backend on the probed adapter; null when it runs, else why not. A software
 * adapter is refused unless `allowSoftware` (a forced `--backend webgpu`).
 */
export async function activateWebGpu(allowSoftware: boolean): Promise<{ reason: string } | { info: GpuAdapterDescription }> {
  const probe = await probeWebGpu()
  if ('reason' in probe) return probe
  const software = softwareAdapterReason(probe.info)
  if (software !== null && !allowSoftware) return { reason: `${adapterLabel(probe.info)} is not a GPU (${software}); only a run that chooses the webgpu backend uses it` }
  // the backend registers itself on import only when navigator.gpu exists (Node 20 has no navigator)
  const nav = ((globalThis as { navigator?: object }).navigator ??= {}) as { gpu?: unknown }
  if (nav.gpu === undefined) Object.defineProperty(nav, 'gpu', { value: probe.gpu, configurable: true })
  try {
    await import('@tensorflow/tfjs-backend-webgpu')
    if (!(await tf.setBackend('webgpu'))) return { reason: `${adapterLabel(probe.info)}: the tfjs webgpu backend did not start` }
    await tf.ready()
  } catch (error) {
    return { reason: `${adapterLabel(probe.info)}: ${firstLine(error)}` }
  }
  return { info: probe.info }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] || 'failed'
}
