import * as tf from '@tensorflow/tfjs'

/** The weights of one ConvLSTM layer, as the cell reads them. */
export interface CellParams {
  /** [kh, kw, inChannels + filters, 4·filters]: input part first, then the recurrent (h) part; gates i, f, g, o along the last axis. */
  kernel: tf.Tensor4D
  /** [4·filters]; with layer norm it is the gates' shift (beta) after normalisation. */
  bias: tf.Tensor1D
  /** Layer normalisation, when on: gate gain [4·filters], cell gain and shift [filters]. */
  norm?: { gateGamma: tf.Tensor1D; cellGamma: tf.Tensor1D; cellBeta: tf.Tensor1D }
}

export interface CellState {
  /** [batch, rows, cols, filters] */
  h: tf.Tensor4D
  /** [batch, rows, cols, filters] */
  c: tf.Tensor4D
}

/** Layer norm epsilon, as torch.nn.LayerNorm. */
export const LAYER_NORM_EPSILON = 1e-5

/**
 * One ConvLSTM step (Shi et al. 2015, without peepholes, as Keras ConvLSTM2D):
 *   [i, f, g, o] = W * [x_t, h_{t-1}] + b        one fused 'same' convolution
 *   c_t = σ(f) ⊙ c_{t-1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)
 * With layer norm (Ba et al. 2016) each gate's pre-activation is normalised over
 * (rows, cols, filters) of each sample before its gain and bias, and c_t is normalised
 * inside the tanh of h_t only, so the carried cell state stays unnormalised.
 * x: [batch, rows, cols, inChannels]; hPrev, cPrev: [batch, rows, cols, filters].
 * The reference for src/core/kernels' fused wasm layer, which must match it.
 */
export function cellStep(params: CellParams, x: tf.Tensor4D, hPrev: tf.Tensor4D, cPrev: tf.Tensor4D): CellState {
  return tf.tidy(() => {
    const xh = tf.concat([x, hPrev], 3) // [batch, rows, cols, inChannels + filters]
    // [batch, rows, cols, 4·filters]
    const z = tf.conv2d(xh, params.kernel, 1, 'same')
    let zi: tf.Tensor4D, zf: tf.Tensor4D, zg: tf.Tensor4D, zo: tf.Tensor4D
    if (params.norm === undefined) {
      ;[zi, zf, zg, zo] = tf.split(tf.add(z, params.bias), 4, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]
    } else {
      const gains = tf.split(params.norm.gateGamma, 4)
      const shifts = tf.split(params.bias, 4)
      ;[zi, zf, zg, zo] = tf.split(z, 4, 3).map((gate, k) => tf.add(tf.mul(layerNormalise(gate as tf.Tensor4D), gains[k] as tf.Tensor), shifts[k] as tf.Tensor)) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]
    }
    const i = tf.sigmoid(zi)
    const f = tf.sigmoid(zf)
    const g = tf.tanh(zg)
    const o = tf.sigmoid(zo)
    const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g)) as tf.Tensor4D
    const cOut = params.norm === undefined ? c : tf.add(tf.mul(layerNormalise(c), params.norm.cellGamma), params.norm.cellBeta)
    const h = tf.mul(o, tf.tanh(cOut)) as tf.Tensor4D
    return { h, c }
  })
}

/** (v − mean) / √(var + ε) over every axis but the batch axis. */
export function layerNormalise(v: tf.Tensor4D): tf.Tensor4D {
  const { mean, variance } = tf.moments(v, [1, 2, 3], true)
  return tf.mul(tf.sub(v, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON)))
}

/**
 * One layer over a whole sequence: xs[t] is [batch, rows, cols, inChannels]; returns every
 * h_t when `returnSequence` (the next layer's input) and always the last h. The state starts
 * at zero. This is the path every backend can differentiate; on wasm src/core/kernels runs
 * the whole stack as one fused forward with a hand-written backward instead. Call it inside
 * tf.tidy: the per-step states it drops are the tidy's to free.
 */
export function unrollLayer(params: CellParams, xs: tf.Tensor4D[], options: { filters: number; returnSequence: boolean }): { sequence: tf.Tensor4D[]; last: tf.Tensor4D } {
  const first = xs[0]
  if (first === undefined) throw new Error('unrollLayer needs at least one timestep')
  const [batch, rows, cols] = first.shape
  const zeros = tf.zeros([batch, rows, cols, options.filters]) as tf.Tensor4D
  let hPrev = zeros
  let cPrev = zeros
  const sequence: tf.Tensor4D[] = []
  for (const x of xs) {
    const next = cellStep(params, x, hPrev, cPrev)
    hPrev = next.h
    cPrev = next.c
    if (options.returnSequence) sequence.push(next.h)
  }
  return { sequence, last: hPrev }
}
