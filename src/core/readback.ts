import type * as tf from '@tensorflow/tfjs'

/**
 * A tensor's values, read without blocking (the webgpu backend has no synchronous readback
 * in Node, and an asynchronous one does not stall the device), then disposed.
 */
export async function takeValues(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return (await tensor.data()) as Float32Array
  } finally {
    tensor.dispose()
  }
}
