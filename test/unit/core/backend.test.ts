import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { selectBackend } from '../../../src/core/backend'
import { softwareAdapterReason } from '../../../src/core/webgpu'
import { webgpuAdapter } from '../../helpers/webgpu'

const require = createRequire(import.meta.url)
function installed(pkg: string): boolean {
  try {
    require(pkg)
    return true
  } catch {
    return false
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')
const hardwareGpu = webgpuAdapter !== undefined && softwareAdapterReason(webgpuAdapter) === null

describe('selectBackend', () => {
  it('forces wasm, registers our wasm kernels and reports the thread count', async () => {
    const lines: string[] = []
    const result = await selectBackend('wasm', (line) => lines.push(line))
    expect(result.name).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(result.threads).toBeGreaterThanOrEqual(1)
    expect(result.kernels).toContain('Conv2DBackpropFilter')
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc).not.toBe(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('wasm')
  })

  it('forces cpu without registering kernels', async () => {
    const result = await selectBackend('cpu')
    expect(result).toMatchObject({ name: 'cpu', threads: 1, kernels: [], skipped: [] })
    expect(tf.getBackend()).toBe('cpu')
  })

  it.skipIf(nativeInstalled)('fails with BACKEND_UNAVAILABLE when tensorflow is forced and tfjs-node is not installed', async () => {
    await expect(selectBackend('tensorflow')).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' })
  })

  it.skipIf(nativeInstalled || hardwareGpu)(`auto passes over the missing native packages and any software WebGPU adapter, says why, and lands on wasm${hardwareGpu ? ' (skipped: this machine has a hardware WebGPU adapter)' : ''}`, async () => {
    const result = await selectBackend('auto')
    expect(result.name).toBe('wasm')
    expect(result.skipped.map((s) => s.split(':')[0])).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow'])
    expect(result.reason).toContain('tfjs-node')
  })

  it.runIf(nativeInstalled)('auto prefers the native TensorFlow backend when it is installed', async () => {
    const result = await selectBackend('auto')
    expect(result.name).toMatch(/^tensorflow/)
  })
})
