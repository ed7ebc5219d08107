import * as tf from '@tensorflow/tfjs'

/**
 * none; norm: all gradients together by their global L2 norm (Keras global_clipnorm); tensor:
 * each parameter tensor by its own L2 norm (Keras clipnorm, MATLAB l2norm); value: each element
 * (clip_grad_value_); auto: global norm at the p-th percentile of the norms so far (AutoClip).
 */
export type ClipMode = 'none' | 'norm' | 'tensor' | 'value' | 'auto'

/** √(Σ over every gradient of Σ g²): the global L2 norm, as torch.nn.utils.clip_grad_norm_ and tf.linalg.global_norm. */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))))
}

/**
 * Rescales every gradient by threshold / max(norm, threshold): a no-op up to the threshold,
 * and above it the clipped global norm is exactly the threshold. This is
 * tf.clip_by_global_norm / Keras global_clipnorm; torch's clip_grad_norm_ uses
 * threshold / (norm + 1e-6) instead, which differs by at most 1e-6 relative.
 * `norm` may be passed when it is already known (the training step computes it once).
 * Returns new tensors; the inputs are not disposed.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], threshold: number, norm?: number): tf.Tensor[] {
  return tf.tidy(() => {
    const total = norm ?? globalNorm(grads).dataSync()[0] as number
    const scale = threshold / Math.max(total, threshold)
    return grads.map((g) => (scale === 1 ? tf.clone(g) : tf.mul(g, scale)))
  })
}

/** Clamps every element to [−threshold, threshold], as torch.nn.utils.clip_grad_value_ / Keras clipvalue. */
export function clipByValue(grads: tf.Tensor[], threshold: number): tf.Tensor[] {
  return tf.tidy(() => grads.map((g) => tf.clipByValue(g, -threshold, threshold)))
}

/**
 * Rescales each gradient on its own by threshold / max(‖g‖, threshold), as Keras `clipnorm`
 * and MATLAB's `l2norm` do: a tensor under the threshold is left alone whatever the others are.
 * `norms` (one per gradient) may be passed when already known. Returns new tensors.
 */
export function clipByTensorNorm(grads: tf.Tensor[], threshold: number, norms?: readonly number[]): tf.Tensor[] {
  return tf.tidy(() => grads.map((g, k) => {
    const norm = norms?.[k] ?? (tf.norm(g).dataSync()[0] as number)
    const scale = threshold / Math.max(norm, threshold)
    return scale === 1 ? tf.clone(g) : tf.mul(g, scale)
  }))
}
