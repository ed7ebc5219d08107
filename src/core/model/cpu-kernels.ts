import * as tf from '@tensorflow/tfjs'

/**
 * Faster kernels for TensorFlow.js' pure-JS `cpu` backend, registered for `cpu` only (other
 * backends keep theirs). The stock Conv2DBackpropFilter reads every element through
 * TensorBuffer.get(...indices), which makes the filter gradient of one ConvLSTM step ~100×
 * slower than the forward convolution (3.6 s of a 4.3 s training step at batch 32); the stock
 * Slice, and SplitV and Unpack through it, do the same for any slice that is not one
 * contiguous block — every gate split along the channel axis. Same maths, same results
 * within float rounding; tested against the stock kernels.
 */

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } }
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo
}

interface KernelArgs {
  inputs: Record<string, tf.TensorInfo>
  backend: CpuBackend
  attrs: Record<string, unknown>
}

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]]

/**
 * dW[wr, wc, ci, co] = Σ_{b, yr, yc} x[b, yr·sh + wr − top, yc·sw + wc − left, ci] · dy[b, yr, yc, co]
 * for NHWC, walking dy and x in memory order and accumulating in float64.
 */
export function conv2dBackpropFilterNhwc(
  x: Float32Array, xShape: [number, number, number, number],
  dy: Float32Array, dyShape: [number, number, number, number],
  filterShape: [number, number, number, number], strides: [number, number], padTop: number, padLeft: number,
): Float32Array {
  const [batch, inHeight, inWidth, inChannels] = xShape
  const [, outHeight, outWidth, outChannels] = dyShape
  const [filterHeight, filterWidth] = filterShape
  const [strideHeight, strideWidth] = strides
  const sums = new Float64Array(filterHeight * filterWidth * inChannels * outChannels)
  for (let b = 0; b < batch; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        const dyAt = ((b * outHeight + yr) * outWidth + yc) * outChannels
        for (let wr = 0; wr < filterHeight; wr++) {
          const xr = yr * strideHeight + wr - padTop
          if (xr < 0 || xr >= inHeight) continue
          for (let wc = 0; wc < filterWidth; wc++) {
            const xc = yc * strideWidth + wc - padLeft
            if (xc < 0 || xc >= inWidth) continue
            const xAt = ((b * inHeight + xr) * inWidth + xc) * inChannels
            const wAt = (wr * filterWidth + wc) * inChannels * outChannels
            for (let ci = 0; ci < inChannels; ci++) {
              const xv = x[xAt + ci] as number
              if (xv === 0) continue
              const row = wAt + ci * outChannels
              for (let co = 0; co < outChannels; co++) sums[row + co] = (sums[row + co] as number) + xv * (dy[dyAt + co] as number)
            }
          }
        }
      }
    }
  }
  return Float32Array.from(sums)
}

function conv2dBackpropFilter(stock: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args
    const x = inputs.x as tf.TensorInfo
    const dy = inputs.dy as tf.TensorInfo
    const dataFormat = (attrs.dataFormat as string | undefined) ?? 'NHWC'
    if (dataFormat !== 'NHWC' || x.dtype !== 'float32' || dy.dtype !== 'float32') return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo
    const filterShape = attrs.filterShape as [number, number, number, number]
    const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, attrs.strides as number | [number, number], 1, attrs.pad as Pad, attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined)
    const values = conv2dBackpropFilterNhwc(
      backend.data.get(x.dataId).values, x.shape as [number, number, number, number],
      backend.data.get(dy.dataId).values, dy.shape as [number, number, number, number],
      filterShape, [info.strideHeight, info.strideWidth], info.padInfo.top, info.padInfo.left,
    )
    return backend.makeTensorInfo(filterShape, 'float32', values)
  }
}

/**
 * A slice of a row-major float32 array, copied as contiguous runs: axes after the last one
 * that is cut are whole, so each run is size[k]·∏shape[k+1:] values.
 */
export function sliceFloat32(values: Float32Array, shape: number[], begin: number[], size: number[]): Float32Array {
  const rank = shape.length
  const out = new Float32Array(size.reduce((a, b) => a * b, 1))
  if (out.length === 0) return out
  let k = rank - 1
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--
  const strides = new Array<number>(rank).fill(1)
  for (let d = rank - 2; d >= 0; d--) strides[d] = (strides[d + 1] as number) * (shape[d + 1] as number)
  const run = (size[k] as number) * (strides[k] as number)
  const index = new Array<number>(k).fill(0) // position within the slice over axes 0..k-1
  let target = 0
  for (;;) {
    let source = (begin[k] as number) * (strides[k] as number)
    for (let d = 0; d < k; d++) source += ((begin[d] as number) + (index[d] as number)) * (strides[d] as number)
    out.set(values.subarray(source, source + run), target)
    target += run
    let d = k - 1
    while (d >= 0 && ++(index as number[])[d]! === size[d]) index[d--] = 0
    if (d < 0) return out
  }
}

function isFloat32(info: tf.TensorInfo): boolean {
  return info.dtype === 'float32'
}

function sliceKernel(stock: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo
    if (!isFloat32(x)) return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, args.attrs.begin as number[], args.attrs.size as number[]) as [number[], number[]]
    return args.backend.makeTensorInfo(size, 'float32', sliceFloat32(args.backend.data.get(x.dataId).values, x.shape, begin, size))
  }
}

function splitVKernel(stock: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const x = args.inputs.x as tf.TensorInfo
    if (!isFloat32(x)) return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo[]
    const axis = tf.util.parseAxisParam(args.attrs.axis as number, x.shape)[0] as number
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, args.attrs.numOrSizeSplits as number[] | number, axis)
    const values = args.backend.data.get(x.dataId).values
    const begin = new Array<number>(x.shape.length).fill(0)
    return sizes.map((part) => {
      const size = [...x.shape]
      size[axis] = part
      const out = args.backend.makeTensorInfo(size, 'float32', sliceFloat32(values, x.shape, begin, size))
      begin[axis] = (begin[axis] as number) + part
      return out
    })
  }
}

function unpackKernel(stock: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo[] => {
    const value = args.inputs.value as tf.TensorInfo
    if (!isFloat32(value)) return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo[]
    let axis = args.attrs.axis as number
    if (axis < 0) axis += value.shape.length
    const values = args.backend.data.get(value.dataId).values
    const outShape = value.shape.filter((_, d) => d !== axis)
    const size = [...value.shape]
    size[axis] = 1
    return Array.from({ length: value.shape[axis] as number }, (_, i) => {
      const begin = new Array<number>(value.shape.length).fill(0)
      begin[axis] = i
      return args.backend.makeTensorInfo(outShape, 'float32', sliceFloat32(values, value.shape, begin, size))
    })
  }
}

const CPU_KERNELS: Record<string, (stock: tf.KernelFunc) => unknown> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Slice: sliceKernel,
  SplitV: splitVKernel,
  Unpack: unpackKernel,
}

let registered = false

/** Registers the faster cpu kernels once per process (the kernel registry is global); idempotent. */
export function registerCpuKernels(): void {
  if (registered) return
  registered = true
  for (const [kernelName, make] of Object.entries(CPU_KERNELS)) {
    const stock = tf.getKernel(kernelName, 'cpu')
    if (stock === undefined) continue
    tf.unregisterKernel(kernelName, 'cpu')
    tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc: make(stock.kernelFunc) as tf.KernelFunc })
  }
}
