import * as tf from '@tensorflow/tfjs'

export type InitKind = 'glorot' | 'he' | 'orthogonal'

/**
 * A seed per variable derived from the run seed and the variable's name (FNV-1a), so each
 * variable gets its own stream and adding a variable never shifts the others.
 */
export function variableSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5
  const text = `${seed}/${name}`
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** fanIn, fanOut of a conv kernel [kh, kw, in, out] or a dense kernel [in, out], as Keras computes them. */
export function fans(shape: number[]): { fanIn: number; fanOut: number } {
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1)
  return { fanIn: receptive * (shape[shape.length - 2] ?? 1), fanOut: receptive * (shape[shape.length - 1] ?? 1) }
}

/** Xavier/Glorot uniform: U(±√(6 / (fanIn + fanOut))), as keras glorot_uniform and torch xavier_uniform_. */
export function glorotUniform(shape: number[], seed: number): tf.Tensor {
  const { fanIn, fanOut } = fans(shape)
  const limit = Math.sqrt(6 / (fanIn + fanOut))
  return tf.randomUniform(shape, -limit, limit, 'float32', seed)
}

/** He uniform: U(±√(6 / fanIn)), variance 2/fanIn, as keras he_uniform and torch kaiming_uniform_(nonlinearity='relu'). */
export function heUniform(shape: number[], seed: number): tf.Tensor {
  const { fanIn } = fans(shape)
  const limit = Math.sqrt(6 / fanIn)
  return tf.randomUniform(shape, -limit, limit, 'float32', seed)
}

/**
 * Orthogonal (gain 1), as keras Orthogonal / torch orthogonal_: the kernel flattened to
 * [∏shape[:-1], shape[-1]] gets orthonormal columns (or rows, when it is wide), from the QR
 * decomposition of a seeded normal matrix with the signs of diag(R) folded in so the
 * distribution is uniform over orthogonal matrices.
 */
export function orthogonal(shape: number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const cols = shape[shape.length - 1] ?? 1
    const rows = shape.reduce((a, b) => a * b, 1) / cols
    const tall = rows >= cols
    const normal = tf.randomNormal(tall ? [rows, cols] : [cols, rows], 0, 1, 'float32', seed) as tf.Tensor2D
    const [q, r] = tf.linalg.qr(normal)
    const n = Math.min(rows, cols)
    const diagonal = tf.sum(tf.mul(r, tf.eye(n, r.shape[1])), 1)
    const signs = tf.where(tf.less(diagonal, 0), tf.fill([n], -1), tf.fill([n], 1))
    const fixed = tf.mul(q, signs)
    return tf.reshape(tall ? fixed : tf.transpose(fixed), shape)
  })
}

export function initKernel(kind: 'glorot' | 'he', shape: number[], seed: number): tf.Tensor {
  return kind === 'he' ? heUniform(shape, seed) : glorotUniform(shape, seed)
}
