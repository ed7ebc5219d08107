import * as tf from '@tensorflow/tfjs'
import { flipFilter } from './conv2d-grads'
import { partnerBackward, partnerForward, recordingGradients, shouldSplit } from './parallel'
import { doubleGateColumns, gatesBackward, gatesForward, im2colT, splitInputGradient, stepInput } from './convlstm-steps'
import { alloc, free, heapF32, runStock, type KernelArgs, type WasmBackend } from './wasm-heap'

/**
 * The whole unrolled ConvLSTM layer as two wasm kernels joined by tf.customGrad: the same
 * maths as cellStep (src/core/model/cell.ts, norm 'none'), with
 *   z = W * [x_t, h_{t-1}] + b  (XNNPACK convolution), i, f, o = σ(z), g = tanh(z),
 *   c_t = f⊙c_{t-1} + i⊙g, h_t = o⊙tanh(c_t),
 * and a hand-written backward pass through time. Autodiff through the ops costs dozens of
 * kernels and heap copies per step; here a step is one convolution, one sigmoid and one
 * JavaScript loop over the heap; the kernel gradient is one XNNPACK matmul per step (im2col of
 * that step's saved conv input against its dz).
 */

export const FORWARD_KERNEL = 'ClipcastConvLstmForward'
export const BACKWARD_KERNEL = 'ClipcastConvLstmBackward'

interface Geometry {
  batch: number
  time: number
  rows: number
  cols: number
  channels: number
  filters: number
  kh: number
  kw: number
  top: number
  left: number
}

function geometry(x: tf.TensorInfo, kernel: tf.TensorInfo): Geometry {
  const [batch, time, rows, cols, channels] = x.shape as [number, number, number, number, number]
  const [kh, kw, inChannels, gates] = kernel.shape as [number, number, number, number]
  const filters = gates / 4
  if (inChannels !== channels + filters) throw new Error(`ConvLSTM kernel [${kernel.shape.join(', ')}] does not fit input channels ${channels} + filters ${filters}`)
  // 'same' padding as tf.conv2d computes it (the extra row/column of an even kernel goes last)
  const top = Math.floor((kh - 1) / 2)
  const left = Math.floor((kw - 1) / 2)
  return { batch, time, rows, cols, channels, filters, kh, kw, top, left }
}

function samePad(kh: number, kw: number, top: number, left: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [[0, 0], [top, kh - 1 - top], [left, kw - 1 - left], [0, 0]]
}

/**
 * Inputs x [B, T, H, W, C], kernel [kh, kw, C + F, 4F], bias [4F].
 * Outputs hs [B, T, H, W, F], gates [T, B, H, W, 4F] (activated i, f, g, o), cs [T, B, H, W, F],
 * tcs = tanh(cs), xhs [T, B, H, W, C + F] (each step's conv input [x_t, h_{t-1}], for the kernel gradient).
 */
export function convLstmForward(args: KernelArgs): tf.TensorInfo[] {
  const { backend } = args
  const x = args.inputs.x!
  const kernel = args.inputs.kernel!
  const bias = args.inputs.bias!
  const { batch: B, time: T, rows, cols, channels: C, filters: F, kh, kw, top, left } = geometry(x, kernel)
  const P = rows * cols
  const cin = C + F
  const G = 4 * F

  const hs = alloc(backend, [B, T, rows, cols, F])
  const gates = alloc(backend, [T, B, rows, cols, G])
  const cs = alloc(backend, [T, B, rows, cols, F])
  const tcs = alloc(backend, [T, B, rows, cols, F])
  const xhs = alloc(backend, [T, B, rows, cols, cin])
  const xh = alloc(backend, [B, rows, cols, cin]) // [x_t, h_{t-1}] of the current step
  const kernel2 = alloc(backend, kernel.shape)
  const bias2 = alloc(backend, [G])
  doubleGateColumns(heapF32(backend, kernel), heapF32(backend, bias), heapF32(backend, kernel2), heapF32(backend, bias2), kh * kw * cin, F)
  const pad = samePad(kh, kw, top, left)
  try {
    for (let t = 0; t < T; t++) {
      const xhv = heapF32(backend, xh)
      stepInput(heapF32(backend, x), heapF32(backend, hs), xhv, B, T, P, C, F, t)
      heapF32(backend, xhs).set(xhv, t * B * P * cin)
      const z = runStock('FusedConv2D', {
        inputs: { x: xh, filter: kernel2, bias: bias2 },
        backend,
        attrs: { strides: [1, 1], pad, dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined, activation: 'linear', leakyreluAlpha: 0 },
      }) // [B, H, W, 4F]
      const s = runStock('Sigmoid', { inputs: { x: z }, backend })
      free(backend, z)
      const gv = heapF32(backend, gates)
      gv.set(heapF32(backend, s), t * B * P * G)
      free(backend, s)
      gatesForward(gv, t * B * P * G, heapF32(backend, cs), heapF32(backend, tcs), t * B * P * F, t === 0 ? -1 : (t - 1) * B * P * F, heapF32(backend, hs), B, T, P, F, t)
    }
  } finally {
    free(backend, xh, kernel2, bias2)
  }
  return [hs, gates, cs, tcs, xhs]
}

/**
 * Inputs dhs [B, T, H, W, F] (the gradient of every hidden state), kernel, gates, cs, tcs, xhs (from
 * the forward kernel). Outputs dx [B, T, H, W, C], dKernel [kh, kw, C + F, 4F], dBias [4F].
 */
export function convLstmBackward(args: KernelArgs): tf.TensorInfo[] {
  const { backend } = args
  const dhs = args.inputs.dhs!
  const kernel = args.inputs.kernel!
  const gates = args.inputs.gates!
  const cs = args.inputs.cs!
  const tcs = args.inputs.tcs!
  const xhs = args.inputs.xhs!
  const [B, T, rows, cols, F] = dhs.shape as [number, number, number, number, number]
  const [kh, kw, cin, G] = kernel.shape as [number, number, number, number]
  const C = cin - F
  const P = rows * cols
  const top = Math.floor((kh - 1) / 2)
  const left = Math.floor((kw - 1) / 2)

  const dx = alloc(backend, [B, T, rows, cols, C])
  const dBias = alloc(backend, [G])
  const dKernel = alloc(backend, [kh, kw, cin, G])
  const flipped = alloc(backend, [kh, kw, G, cin]) // [kh, kw, 4F, C + F]
  flipFilter(heapF32(backend, kernel), heapF32(backend, flipped), kh, kw, cin, G)
  const im2col = alloc(backend, [1, kh * kw * cin, B * P]) // this step's conv input, im2colT layout
  const dhRecurrent = new Float32Array(B * P * F) // ∂L/∂h_t through h_{t+1}
  const dc = new Float32Array(B * P * F) // ∂L/∂c_t through c_{t+1}
  const biasSum = new Float64Array(G)
  const kernelSum = new Float32Array(kh * kw * cin * G) // Σ_t of the per-step kernel gradients
  let dz: tf.TensorInfo[] = []
  // input gradient of the 'same' convolution: the flipped kernel with the complementary padding
  const backPad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [kh - 1 - top, top], [kw - 1 - left, left], [0, 0]]
  try {
    for (let t = T - 1; t >= 0; t--) {
      // this step's ∂L/∂z [1, B·H·W, 4F], read as [B, H, W, 4F] by the input-gradient convolution. A fresh
      // tensor every step: the stock BatchMatMul caches its XNNPACK operator (packed weights) by tensor id
      free(backend, ...dz)
      dz = [alloc(backend, [1, B * P, G])]
      const dzImage = { ...dz[0]!, shape: [B, rows, cols, G] }
      const dzv = heapF32(backend, dz[0]!)
      gatesBackward(heapF32(backend, gates), t * B * P * G, heapF32(backend, tcs), heapF32(backend, cs), t * B * P * F, t === 0 ? -1 : (t - 1) * B * P * F, heapF32(backend, dhs), dhRecurrent, dc, dzv, B, T, P, F, t)
      for (let q = 0; q < B * P; q++) {
        const zq = q * G
        for (let k = 0; k < G; k++) biasSum[k] = biasSum[k]! + dzv[zq + k]!
      }
      // dW_t[a, b, ci, co] = Σ_{n,y,x} xhpad_t[n, y+a, x+b, ci] · dz_t[n, y, x, co]: XNNPACK matmul without transpose flags
      im2colT(heapF32(backend, xhs), t * B * P * cin, heapF32(backend, im2col), B, rows, cols, cin, kh, kw, top, left)
      const product = runStock('BatchMatMul', { inputs: { a: im2col, b: dz[0]! }, backend, attrs: { transposeA: false, transposeB: false } }) // [1, kh·kw·(C + F), 4F]
      const pv = heapF32(backend, product)
      for (let i = 0; i < kernelSum.length; i++) kernelSum[i] = kernelSum[i]! + pv[i]!
      free(backend, product)
      const dxh = runStock('Conv2D', {
        inputs: { x: dzImage, filter: flipped },
        backend,
        attrs: { strides: [1, 1], pad: backPad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined },
      }) // [B, H, W, C + F]
      splitInputGradient(heapF32(backend, dxh), heapF32(backend, dx), dhRecurrent, B, T, P, C, F, t)
      free(backend, dxh)
    }
    heapF32(backend, dBias).set(biasSum)
    heapF32(backend, dKernel).set(kernelSum)
    return [dx, dKernel, dBias]
  } finally {
    free(backend, flipped, im2col, ...dz)
  }
}

type Tensors5 = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor]

function forwardKernel(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor): Tensors5 {
  return tf.engine().runKernel(FORWARD_KERNEL, { x, kernel, bias }, {}) as unknown as Tensors5
}

function backwardKernel(dhs: tf.Tensor, saved: tf.Tensor[]): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [kernel, gates, cs, tcs, xhs] = saved
  return tf.engine().runKernel(BACKWARD_KERNEL, { dhs, kernel: kernel!, gates: gates!, cs: cs!, tcs: tcs!, xhs: xhs! }, {}) as unknown as [tf.Tensor, tf.Tensor, tf.Tensor]
}

function batchHalf(t: tf.Tensor, from: number, size: number): tf.Tensor {
  return tf.slice(t, [from, ...t.shape.slice(1).map(() => 0)], [size, ...t.shape.slice(1)])
}

/**
 * One ConvLSTM layer over a whole sequence on the wasm backend: x [B, T, H, W, C] →
 * hs [B, T, H, W, F], zero initial state, differentiable with respect to x, kernel and bias.
 * With the data-parallel partner running (parallel.ts) and enough work, the second half of
 * the batch runs on the partner thread, forward and backward.
 */
export const convLstmSequence = tf.customGrad(((x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor, save: tf.GradSaveFunc) => {
  if (!shouldSplit(x.shape, kernel.shape)) {
    const [hs, ...saved] = forwardKernel(x, kernel, bias)
    save([kernel, ...saved])
    return { value: hs, gradFunc: (dhs: tf.Tensor, kept: tf.Tensor[]) => backwardKernel(dhs, kept) }
  }
  const batch = x.shape[0]!
  const own = Math.ceil(batch / 2)
  const other = batch - own
  const filters = bias.shape[0]! / 4
  const xOther = batchHalf(x, own, other)
  const remote = partnerForward(xOther.dataSync() as Float32Array, xOther.shape, kernel.dataSync() as Float32Array, bias.dataSync() as Float32Array, kernel.shape, filters, recordingGradients())
  const [hsOwn, ...saved] = forwardKernel(batchHalf(x, 0, own), kernel, bias)
  const hs = tf.concat([hsOwn, tf.tensor(remote.finish(), [other, ...hsOwn.shape.slice(1)])], 0) // [B, T, H, W, F]
  save([kernel, ...saved])
  return {
    value: hs,
    gradFunc: (dhs: tf.Tensor, kept: tf.Tensor[]) => {
      const dhsOther = batchHalf(dhs, own, other)
      const otherShape = [other, ...x.shape.slice(1)]
      const pending = partnerBackward(remote.id, dhsOther.dataSync() as Float32Array, dhsOther.shape, otherShape.reduce((a, b) => a * b, 1), kernel.size, bias.size)
      const [dxOwn, dKernelOwn, dBiasOwn] = backwardKernel(batchHalf(dhs, 0, own), kept)
      const parts = pending.finish()
      return [
        tf.concat([dxOwn, tf.tensor(parts.dx, otherShape)], 0),
        tf.add(dKernelOwn, tf.tensor(parts.dKernel, kernel.shape)),
        tf.add(dBiasOwn, tf.tensor(parts.dBias, bias.shape)),
      ]
    },
  }
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor5D, kernel: tf.Tensor4D, bias: tf.Tensor1D) => tf.Tensor5D

export function registerConvLstmKernels(): void {
  for (const [kernelName, kernel] of [[FORWARD_KERNEL, convLstmForward], [BACKWARD_KERNEL, convLstmBackward]] as const) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernel as unknown as tf.KernelFunc })
    }
  }
}

export type { WasmBackend }
