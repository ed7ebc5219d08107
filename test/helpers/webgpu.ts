import { probeWebGpu, type GpuAdapterDescription } from '../../src/core/webgpu'

const probe = await probeWebGpu()

/** The machine's WebGPU adapter (lavapipe in CI), or undefined. */
export const webgpuAdapter: GpuAdapterDescription | undefined = 'info' in probe ? probe.info : undefined

/** Why the WebGPU tests skip here ('' when they run): it goes into their titles, so the report says it. */
export const webgpuSkipReason = 'reason' in probe ? ` (skipped: ${probe.reason})` : ''

// a fully skipped file shows no test titles in the report: say it here, once per file
if (webgpuAdapter === undefined) console.warn(`WebGPU tests skip here: ${'reason' in probe ? probe.reason : ''}`)
