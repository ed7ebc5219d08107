import * as tf from '@tensorflow/tfjs'

export const GATES = ['i', 'f', 'g', 'o'] as const

/** A layer variable whose last axis holds the four gates i, f, g, o side by side (4·filters). */
export function isGated(name: string): boolean {
  return /^layer\d+\/(kernel|bias|gamma)$/.test(name)
}

/**
 * Everything the step needs to know about the gradients, in one tensor so it costs one
 * download: Σg² per variable, Σg² per gate of each gated variable, then max |g|.
 * `decodeGradientStats` reads it back.
 * grads: parallel to names (logical names like 'layer0/kernel').
 */
export function gradientStats(names: string[], grads: tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => {
    const perVariable = grads.map((g) => tf.sum(tf.square(g)))
    const perGate: tf.Tensor[] = []
    grads.forEach((g, k) => {
      if (!isGated(names[k] as string)) return
      const channels = g.shape[g.rank - 1] as number
      // [4, filters]: sum of squares per output channel, grouped by gate
      const perChannel = g.rank === 1 ? tf.square(g) : tf.sum(tf.square(g), [...Array(g.rank - 1).keys()])
      perGate.push(tf.sum(tf.reshape(perChannel, [4, channels / 4]), 1))
    })
    const maxAbs = tf.max(tf.stack(grads.map((g) => tf.max(tf.abs(g)))))
    return tf.concat([tf.stack(perVariable), ...perGate, tf.reshape(maxAbs, [1])]) as tf.Tensor1D
  })
}

export interface GradientSummary {
  /** Global L2 norm over every gradient (before any clipping). */
  norm: number
  maxAbs: number
  /** L2 norms: 'layer0' (all of the layer's variables), 'layer0/i' … 'layer0/o' (the gate's slices of kernel, bias and gain), 'head'. */
  layerNorms: Record<string, number>
}

export function decodeGradientStats(names: string[], values: Float32Array | number[], offset = 0): GradientSummary {
  const squares: Record<string, number> = {}
  const bump = (key: string, v: number) => (squares[key] = (squares[key] ?? 0) + v)
  let total = 0
  names.forEach((name, k) => {
    const v = values[offset + k] as number
    total += v
    bump(name.split('/')[0] as string, v)
  })
  let at = offset + names.length
  for (const name of names) {
    if (!isGated(name)) continue
    const layer = name.split('/')[0] as string
    for (const gate of GATES) bump(`${layer}/${gate}`, values[at++] as number)
  }
  const layerNorms: Record<string, number> = {}
  for (const [key, v] of Object.entries(squares)) layerNorms[key] = Math.sqrt(v)
  return { norm: Math.sqrt(total), maxAbs: values[at] as number, layerNorms }
}
