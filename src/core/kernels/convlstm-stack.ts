import * as tf from '@tensorflow/tfjs'
import { convLstmSequence, FORWARD_KERNEL } from './convlstm-fused'

export interface FusableLayer {
  /** [kh, kw, inChannels + filters, 4·filters], gates i, f, g, o */
  kernel: tf.Tensor
  /** [4·filters] */
  bias: tf.Tensor
  /** Layer normalisation parameters; a layer with them is not fused. */
  norm?: unknown
}

/** True when the fused ConvLSTM kernels can run: the wasm backend is active and they are registered. */
export function fusedConvLstmActive(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(FORWARD_KERNEL, 'wasm') !== undefined
}

/**
 * The stacked ConvLSTM through the fused layer: x [B, T, H, W, C] → the last layer's last
 * hidden state [B, H, W, F]. Returns null where the fused path does not apply (another
 * backend, or layer normalisation), so the caller runs the plain per-step cell instead;
 * call it inside the caller's tf.tidy.
 */
export function fusedConvLstmStack(x: tf.Tensor5D, layers: FusableLayer[]): tf.Tensor4D | null {
  if (!fusedConvLstmActive() || layers.some((layer) => layer.norm !== undefined)) return null
  let sequence = x
  for (const layer of layers) sequence = convLstmSequence(sequence, layer.kernel as tf.Tensor4D, layer.bias as tf.Tensor1D) // [B, T, H, W, F]
  const [batch, time, rows, cols, filters] = sequence.shape
  return tf.reshape(tf.slice(sequence, [0, time - 1, 0, 0, 0], [batch, 1, rows, cols, filters]), [batch, rows, cols, filters])
}
