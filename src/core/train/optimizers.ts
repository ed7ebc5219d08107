import * as tf from '@tensorflow/tfjs'

export type OptimizerKind = 'adam' | 'sgd' | 'rmsprop'

/** SGD's momentum (heavy ball, as torch.optim.SGD(momentum=0.9) and Keras SGD(momentum=0.9)). */
export const SGD_MOMENTUM = 0.9

/**
 * adam: β1 0.9, β2 0.999, ε 1e-7 (the backend's epsilon, as Keras);
 * sgd: momentum 0.9; rmsprop: decay 0.9, no momentum, ε 1e-7.
 */
export function createOptimizer(kind: OptimizerKind, lr: number): tf.Optimizer {
  if (kind === 'adam') return tf.train.adam(lr, 0.9, 0.999)
  if (kind === 'sgd') return tf.train.momentum(lr, SGD_MOMENTUM)
  return tf.train.rmsprop(lr, 0.9)
}

/**
 * Changes the learning rate in place, keeping the optimizer's state. tfjs reads
 * `learningRate` on every update for Adam and RMSprop; momentum SGD caches −lr in a
 * scalar that setLearningRate rebuilds.
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const withSetter = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number }
  if (typeof withSetter.setLearningRate === 'function') withSetter.setLearningRate(lr)
  else withSetter.learningRate = lr
}

/** Frees an optimizer's state. MomentumOptimizer.dispose forgets SGD's cached −lr scalar, so that goes too. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose()
  const cached = (optimizer as unknown as { c?: tf.Tensor }).c
  if (cached !== undefined && !cached.isDisposed) cached.dispose()
}
