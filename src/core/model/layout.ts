import * as tf from '@tensorflow/tfjs'
import { ClipcastError } from '../../shared/errors'
import type { ModelSpec } from './spec'

/**
 * Lays a batch of windows out as the model's input.
 * `windows` is [batch, lookback, columns] row-major. subseq: the lookback is cut into nSeq
 * sub-sequences of nSteps, which is a plain reshape since step t = s·nSteps + k.
 * grid: `gridOrder` (GridColumns.order) says which column fills each [row, col, feature].
 */
export function toModelInput(windows: Float32Array, batch: number, spec: ModelSpec, gridOrder?: number[]): tf.Tensor5D {
  const [time, rows, cols, channels] = spec.inputShape
  const perSample = time * rows * cols * channels
  if (windows.length !== batch * perSample) {
    throw new ClipcastError('INVALID_CONFIG', `A batch of ${batch} windows needs ${batch * perSample} values for input shape [${spec.inputShape.join(', ')}]; got ${windows.length}.`, {
      hint: 'The windows and the model spec come from different configurations.',
    })
  }
  if (spec.layout === 'subseq') {
    // [batch, nSeq, 1, nSteps, vars]
    return tf.tensor5d(windows, [batch, time, rows, cols, channels])
  }
  const cells = rows * cols * channels
  if (gridOrder === undefined || gridOrder.length !== cells) {
    throw new ClipcastError('INVALID_CONFIG', `The grid layout needs a column order of ${cells} entries; got ${gridOrder?.length ?? 'none'}.`, {
      hint: 'Pass GridColumns.order from parseGridColumns.',
    })
  }
  const out = new Float32Array(windows.length)
  for (let step = 0; step < batch * time; step++) {
    const base = step * cells
    for (let at = 0; at < cells; at++) out[base + at] = windows[base + (gridOrder[at] as number)] as number
  }
  // [batch, lookback, H, W, features]
  return tf.tensor5d(out, [batch, time, rows, cols, channels])
}
