import * as tf from '@tensorflow/tfjs'
import { conv2dBackpropFilter, conv2dBackpropInput } from './conv2d-grads'
import { BACKWARD_KERNEL, convLstmBackward, convLstmForward, FORWARD_KERNEL } from './convlstm-fused'
import { batchMatMul, slice, sum, tanh, transpose } from './fast-ops'
import { rememberStockKernel, runStock, type KernelArgs } from './wasm-heap'

type Kernel = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]

/** Our wasm kernels by kernel name; each replaces (or adds) the wasm kernel only, never another backend's. */
export const WASM_KERNELS: Record<string, Kernel> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  Slice: slice,
  Transpose: transpose,
  Sum: (args) => sum(args, (a) => runStock('Sum', a)),
  Tanh: tanh,
  BatchMatMul: (args) => batchMatMul(args, (a) => runStock('BatchMatMul', a)),
  [FORWARD_KERNEL]: convLstmForward,
  [BACKWARD_KERNEL]: convLstmBackward,
}

let registered = false

/** Registers the kernels above for the wasm backend once per process (tfjs' registry is global). */
export function registerWasmKernels(): string[] {
  if (registered) return Object.keys(WASM_KERNELS)
  for (const [kernelName, kernel] of Object.entries(WASM_KERNELS)) {
    rememberStockKernel(kernelName)
    const stock = tf.getKernel(kernelName, 'wasm')
    if (stock !== undefined) tf.unregisterKernel(kernelName, 'wasm')
    // the stock setup (its cwrap of the wasm function) must still run at backend start: our fallbacks call the stock kernel
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc, ...(stock?.setupFunc ? { setupFunc: stock.setupFunc } : {}) })
  }
  registered = true
  return Object.keys(WASM_KERNELS)
}
