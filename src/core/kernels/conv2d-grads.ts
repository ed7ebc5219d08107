import * as tf from '@tensorflow/tfjs'
import { alloc, free, heapF32, runStock, type KernelArgs, type WasmBackend } from './wasm-heap'

/**
 * Convolution gradients for the wasm backend, both computed as forward convolutions so that
 * XNNPACK does the arithmetic: tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all
 * (tf.conv2d cannot be trained there), and its Conv2DBackpropInput is a scalar loop
 * (~3.5 GFLOP/s here, against ~30 for Conv2D).
 */

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]]

function explicitPad(top: number, bottom: number, left: number, right: number): Pad {
  return [[0, 0], [top, bottom], [left, right], [0, 0]]
}

function conv(backend: WasmBackend, x: tf.TensorInfo, filter: tf.TensorInfo, pad: Pad, dilations: [number, number]): tf.TensorInfo {
  return runStock('Conv2D', {
    inputs: { x, filter },
    backend,
    attrs: { strides: [1, 1], pad, dataFormat: 'NHWC', dilations, dimRoundingMode: undefined },
  })
}

/** [B, H, W, C] → [C, H, W, B]: batch becomes the reduction channel of the filter-gradient convolution. */
export function batchToChannels(source: Float32Array, target: Float32Array, batch: number, pixels: number, channels: number): void {
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const from = (b * pixels + p) * channels
      for (let c = 0; c < channels; c++) target[(c * pixels + p) * batch + b] = source[from + c]!
    }
  }
}

/** [B, P, C] → [P, B, C] (P = pixels): whole channel rows move, so this is a copy of runs. */
export function swapBatchPixels(source: Float32Array, target: Float32Array, batch: number, pixels: number, channels: number): void {
  for (let b = 0; b < batch; b++) {
    for (let p = 0; p < pixels; p++) {
      const from = (b * pixels + p) * channels
      target.set(source.subarray(from, from + channels), (p * batch + b) * channels)
    }
  }
}

/**
 * dW[a, b, ci, co] = Σ_{n,y,x} xpad[n, s·y + a, s·x + b, ci] · dy[n, y, x, co], written as the
 * forward convolution of x laid out [Cin, H, W, B] with dy laid out [Ho, Wo, B, Co] as its
 * filter (dilated by the forward stride); the output [Cin, kh, kw, Co] is reordered to the
 * filter layout [kh, kw, Cin, Co].
 */
export function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { backend } = args
  const x = args.inputs.x!
  const dy = args.inputs.dy!
  const attrs = args.attrs as { strides: number | [number, number]; pad: Pad; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] }
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter supports NHWC only')
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode)
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number]
  const { outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info
  const top = info.padInfo.top
  const left = info.padInfo.left
  const bottom = Math.max(0, filterHeight + strideHeight * (outHeight - 1) - height - top)
  const right = Math.max(0, filterWidth + strideWidth * (outWidth - 1) - width - left)

  const xT = alloc(backend, [inChannels, height, width, batch]) // [Cin, H, W, B]
  const dyT = alloc(backend, [outHeight, outWidth, batch, outChannels]) // [Ho, Wo, B, Co]
  batchToChannels(heapF32(backend, x), heapF32(backend, xT), batch, height * width, inChannels)
  swapBatchPixels(heapF32(backend, dy), heapF32(backend, dyT), batch, outHeight * outWidth, outChannels)
  const product = conv(backend, xT, dyT, explicitPad(top, bottom, left, right), [strideHeight, strideWidth]) // [Cin, ≥kh, ≥kw, Co]
  free(backend, xT, dyT)
  const result = alloc(backend, [filterHeight, filterWidth, inChannels, outChannels])
  const source = heapF32(backend, product)
  const target = heapF32(backend, result)
  const productHeight = product.shape[1]!
  const productWidth = product.shape[2]!
  for (let a = 0; a < filterHeight; a++) {
    for (let b = 0; b < filterWidth; b++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const from = ((ci * productHeight + a) * productWidth + b) * outChannels
        target.set(source.subarray(from, from + outChannels), ((a * filterWidth + b) * inChannels + ci) * outChannels)
      }
    }
  }
  free(backend, product)
  return result
}

/** W[kh, kw, Cin, Co] → W'[kh, kw, Co, Cin] rotated by 180°: the filter of the input-gradient convolution. */
export function flipFilter(source: Float32Array, target: Float32Array, filterHeight: number, filterWidth: number, inChannels: number, outChannels: number): void {
  for (let a = 0; a < filterHeight; a++) {
    for (let b = 0; b < filterWidth; b++) {
      const from = (a * filterWidth + b) * inChannels * outChannels
      const to = ((filterHeight - 1 - a) * filterWidth + (filterWidth - 1 - b)) * outChannels * inChannels
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++) target[to + co * inChannels + ci] = source[from + ci * outChannels + co]!
      }
    }
  }
}

/**
 * dx = dy ⋆ rot180(W)ᵀ with the complementary padding: for stride 1 the input gradient is a
 * plain forward convolution. Strided convolutions fall back to the stock kernel.
 */
export function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { backend } = args
  const dy = args.inputs.dy!
  const filter = args.inputs.filter!
  const attrs = args.attrs as { strides: number | [number, number]; pad: Pad; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number] }
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode)
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || attrs.dataFormat === 'NCHW') return runStock('Conv2DBackpropInput', args)
  const { filterHeight, filterWidth, inChannels, outChannels, inHeight, inWidth, outHeight, outWidth } = info
  const top = filterHeight - 1 - info.padInfo.top
  const left = filterWidth - 1 - info.padInfo.left
  const bottom = inHeight - outHeight + filterHeight - 1 - top
  const right = inWidth - outWidth + filterWidth - 1 - left
  const flipped = alloc(backend, [filterHeight, filterWidth, outChannels, inChannels]) // [kh, kw, Co, Cin]
  flipFilter(heapF32(backend, filter), heapF32(backend, flipped), filterHeight, filterWidth, inChannels, outChannels)
  const result = conv(backend, dy, flipped, explicitPad(top, bottom, left, right), [1, 1]) // [B, H, W, Cin]
  free(backend, flipped)
  return result
}
