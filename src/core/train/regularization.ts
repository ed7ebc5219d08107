import * as tf from '@tensorflow/tfjs'

/** Only convolution and dense kernels are penalised; biases, gains and shifts are not (as Keras kernel_regularizer). */
export function isPenalised(name: string): boolean {
  return name.endsWith('/kernel')
}

/**
 * l1·Σ|w| + l2·Σw² over the given kernels — no ½ on the L2 term, as keras.regularizers.L1L2
 * (so its gradient is 2·l2·w; torch's weight_decay=λ corresponds to l2 = λ/2).
 */
export function weightPenalty(kernels: tf.Tensor[], l1: number, l2: number): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0)
    for (const w of kernels) {
      if (l1 > 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(w))))
      if (l2 > 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(w))))
    }
    return total
  })
}
