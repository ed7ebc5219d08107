import * as tf from '@tensorflow/tfjs'

/**
 * The parts of tfjs-backend-wasm's BackendWasm that our kernels use: tensors live in the wasm
 * heap at `memoryOffset`, and a tensor's heap view is read and written in place (no copies out
 * of the heap, which is what makes the stock Slice slow).
 */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array }
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[]; dtype: string } | undefined }
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo
  disposeData(dataId: object, force?: boolean): boolean
}

export interface KernelArgs {
  inputs: Record<string, tf.TensorInfo | undefined>
  backend: WasmBackend
  attrs?: Record<string, unknown>
}

/** A float32 view of a tensor's bytes in the wasm heap; take it after the last allocation (growth detaches views). */
export function heapF32(backend: WasmBackend, info: tf.TensorInfo): Float32Array {
  const data = backend.dataIdMap.get(info.dataId)
  if (data === undefined) throw new Error(`tensor ${String(info.dataId)} is not on the wasm backend`)
  const size = info.shape.reduce((a, b) => a * b, 1)
  return new Float32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, size)
}

/** Allocates an uninitialised float32 tensor in the wasm heap. */
export function alloc(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  return backend.makeOutput(shape, 'float32')
}

export function free(backend: WasmBackend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId)
}

/**
 * Runs a kernel as registered before our replacements (the stock wasm kernel), keeping the
 * original kernel functions so a replacement can fall back to them.
 */
const stockKernels = new Map<string, tf.KernelFunc>()

export function rememberStockKernel(kernelName: string): void {
  if (stockKernels.has(kernelName)) return
  const config = tf.getKernel(kernelName, 'wasm')
  if (config !== undefined) stockKernels.set(kernelName, config.kernelFunc)
}

export function runStock(kernelName: string, args: KernelArgs): tf.TensorInfo {
  const kernel = stockKernels.get(kernelName) ?? tf.getKernel(kernelName, 'wasm')?.kernelFunc
  if (kernel === undefined) throw new Error(`no wasm kernel ${kernelName}`)
  return kernel(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo
}

export function isWasmBackendActive(): boolean {
  return tf.getBackend() === 'wasm'
}
