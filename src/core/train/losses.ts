import * as tf from '@tensorflow/tfjs'

export type LossKind = 'mse' | 'mae' | 'huber'

/** Huber's delta: 1, where Huber and SmoothL1 agree (torch HuberLoss(delta=1) = SmoothL1Loss(beta=1)). */
export const HUBER_DELTA = 1

/**
 * Mean over every element (batch, horizon, targets):
 * mse  mean((p − y)²)
 * mae  mean(|p − y|)
 * huber mean(½d² if |d| ≤ 1 else |d| − ½), d = p − y, as torch.nn.HuberLoss(delta=1, reduction='mean').
 */
export function computeLoss(kind: LossKind, prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.sub(prediction, target)
    if (kind === 'mse') return tf.mean(tf.square(d))
    const absolute = tf.abs(d)
    if (kind === 'mae') return tf.mean(absolute)
    // min(|d|, δ) splits |d| into a quadratic and a linear part: ½q² + δ(|d| − q)
    const quadratic = tf.minimum(absolute, HUBER_DELTA)
    const linear = tf.sub(absolute, quadratic)
    return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(HUBER_DELTA, linear)))
  })
}
