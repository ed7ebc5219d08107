import * as tf from '@tensorflow/tfjs'
import { type KernelArgs } from './wasm-heap'

/**
 * Slice on heap views: the stock wasm Slice copies the whole input out of the heap before
 * slicing (372 ms of one M training step through SplitV). Here each contiguous run is moved
 * inside the heap with copyWithin. Works for every dtype (bytes per element from the dtype).
 */
export function slice(args: KernelArgs): tf.TensorInfo {
  const { backend } = args
  const x = args.inputs.x!
  const attrs = args.attrs as { begin: number | number[]; size: number | number[] }
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size) as [number[], number[]]
  const out = backend.makeOutput(size, x.dtype)
  const total = size.reduce((a, b) => a * b, 1)
  if (total === 0) return out
  const bytes = x.dtype === 'bool' ? 1 : 4
  const source = backend.dataIdMap.get(x.dataId)!.memoryOffset
  const target = backend.dataIdMap.get(out.dataId)!.memoryOffset
  const heap = backend.wasm.HEAPU8
  const rank = x.shape.length
  // merge trailing axes that are taken whole into one contiguous run
  let run = 1
  let axis = rank - 1
  while (axis >= 0 && begin[axis] === 0 && size[axis] === x.shape[axis]) {
    run *= size[axis]!
    axis--
  }
  if (axis < 0) {
    heap.copyWithin(target, source, source + total * bytes)
    return out
  }
  run *= size[axis]!
  const strides = new Array<number>(rank).fill(1)
  for (let k = rank - 2; k >= 0; k--) strides[k] = strides[k + 1]! * x.shape[k + 1]!
  const runs = total / run
  const index = new Array<number>(axis).fill(0)
  let to = target
  for (let r = 0; r < runs; r++) {
    let from = begin[axis]! * strides[axis]!
    for (let k = 0; k < axis; k++) from += (begin[k]! + index[k]!) * strides[k]!
    heap.copyWithin(to, source + from * bytes, source + (from + run) * bytes)
    to += run * bytes
    for (let k = axis - 1; k >= 0; k--) {
      index[k]!++
      if (index[k]! < size[k]!) break
      index[k] = 0
    }
  }
  return out
}

function typedView(backend: KernelArgs['backend'], info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array {
  const offset = backend.dataIdMap.get(info.dataId)!.memoryOffset
  const size = info.shape.reduce((a, b) => a * b, 1)
  const buffer = backend.wasm.HEAPU8.buffer
  if (info.dtype === 'int32') return new Int32Array(buffer, offset, size)
  if (info.dtype === 'bool') return new Uint8Array(buffer, offset, size)
  return new Float32Array(buffer, offset, size)
}

/**
 * Transpose on heap views, any rank and dtype: walks the output in order and the input with
 * its permuted strides; axes that stay adjacent are merged first so inner runs are long.
 */
export function transpose(args: KernelArgs): tf.TensorInfo {
  const { backend } = args
  const x = args.inputs.x!
  const perm = (args.attrs as { perm: number[] }).perm
  const outShape = perm.map((p) => x.shape[p]!)
  const out = backend.makeOutput(outShape, x.dtype)
  const size = outShape.reduce((a, b) => a * b, 1)
  if (size === 0) return out
  // merge output axes k, k+1 when they are consecutive input axes
  const shape: number[] = []
  const axes: number[] = []
  for (let k = 0; k < perm.length; k++) {
    if (x.shape[perm[k]!] === 1) continue
    const last = axes.length - 1
    if (last >= 0 && axes[last]! + 1 === perm[k]!) {
      shape[last] = shape[last]! * x.shape[perm[k]!]!
      axes[last] = perm[k]!
    } else {
      shape.push(x.shape[perm[k]!]!)
      axes.push(perm[k]!)
    }
  }
  const source = typedView(backend, x)
  const target = typedView(backend, out)
  if (shape.length <= 1) {
    target.set(source)
    return out
  }
  // input strides of the merged axes: the stride of a merged block is that of its last input axis
  const inputStrides = new Array<number>(x.shape.length).fill(1)
  for (let k = x.shape.length - 2; k >= 0; k--) inputStrides[k] = inputStrides[k + 1]! * x.shape[k + 1]!
  const strides = axes.map((a) => inputStrides[a]!)
  const rank = shape.length
  const inner = shape[rank - 1]!
  const innerStride = strides[rank - 1]!
  const index = new Array<number>(rank - 1).fill(0)
  let from = 0
  for (let to = 0; to < size; to += inner) {
    for (let j = 0; j < inner; j++) target[to + j] = source[from + j * innerStride]!
    for (let k = rank - 2; k >= 0; k--) {
      index[k]!++
      from += strides[k]!
      if (index[k]! < shape[k]!) break
      from -= strides[k]! * shape[k]!
      index[k] = 0
    }
  }
  return out
}

/**
 * Sum of float32 over a leading block of axes (what bias and broadcast gradients ask for:
 * the stock kernel transposes first) or a trailing block (contiguous rows). Other cases and
 * dtypes go to the stock kernel.
 */
export function sum(args: KernelArgs, stock: (args: KernelArgs) => tf.TensorInfo): tf.TensorInfo {
  const { backend } = args
  const x = args.inputs.x!
  const attrs = args.attrs as { axis: number | number[]; keepDims: boolean }
  const rank = x.shape.length
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b)
  const contiguous = axes.every((a, k) => k === 0 || a === axes[k - 1]! + 1)
  const leading = axes.length > 0 && axes[0] === 0 && contiguous
  const trailing = axes.length > 0 && axes[axes.length - 1] === rank - 1 && contiguous
  if (x.dtype !== 'float32' || (!leading && !trailing)) return stock(args)
  const outShape = attrs.keepDims ? x.shape.map((d, k) => (axes.includes(k) ? 1 : d)) : x.shape.filter((_, k) => !axes.includes(k))
  const out = backend.makeOutput(outShape, 'float32')
  const reduced = axes.reduce((n, a) => n * x.shape[a]!, 1)
  const kept = x.shape.reduce((a, b) => a * b, 1) / Math.max(reduced, 1)
  const source = typedView(backend, x) as Float32Array
  const target = typedView(backend, out) as Float32Array
  if (leading && !(trailing && axes.length < rank)) {
    const acc = new Float64Array(kept)
    for (let r = 0; r < reduced; r++) {
      const base = r * kept
      for (let j = 0; j < kept; j++) acc[j] = acc[j]! + source[base + j]!
    }
    target.set(acc)
  } else {
    for (let j = 0; j < kept; j++) {
      const base = j * reduced
      let acc = 0
      for (let r = 0; r < reduced; r++) acc += source[base + r]!
      target[j] = acc
    }
  }
  return out
}

/** tanh over a heap view (the stock wasm Tanh is a scalar libm loop); 1 − 2/(e^{2x}+1) in double precision. */
export function tanh(args: KernelArgs): tf.TensorInfo {
  const { backend } = args
  const x = args.inputs.x!
  const out = backend.makeOutput(x.shape, 'float32')
  const source = typedView(backend, x) as Float32Array
  const target = typedView(backend, out) as Float32Array
  for (let k = 0; k < source.length; k++) target[k] = 1 - 2 / (Math.exp(2 * source[k]!) + 1)
  return out
}

/**
 * BatchMatMul with transpose flags runs a scalar loop in the stock kernel (0.8–2.7 GFLOP/s
 * against 23–34 without): transpose explicitly, then multiply without flags.
 */
export function batchMatMul(args: KernelArgs, stock: (args: KernelArgs) => tf.TensorInfo): tf.TensorInfo {
  const { backend } = args
  const attrs = args.attrs as { transposeA: boolean; transposeB: boolean }
  if (!attrs.transposeA && !attrs.transposeB) return stock(args)
  const flip = (t: tf.TensorInfo): tf.TensorInfo => {
    const perm = t.shape.map((_, k) => k)
    const rank = perm.length
    ;[perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!]
    return transpose({ inputs: { x: t }, backend, attrs: { perm } })
  }
  const a = attrs.transposeA ? flip(args.inputs.a!) : args.inputs.a!
  const b = attrs.transposeB ? flip(args.inputs.b!) : args.inputs.b!
  try {
    return stock({ inputs: { a, b }, backend, attrs: { ...args.attrs, transposeA: false, transposeB: false } })
  } finally {
    if (attrs.transposeA) backend.disposeData(a.dataId)
    if (attrs.transposeB) backend.disposeData(b.dataId)
  }
}
