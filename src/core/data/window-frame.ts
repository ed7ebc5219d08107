/**
 * Reversible instance normalisation (Kim et al., ICLR 2022) of windows that are already
 * standardised with the training scaler: each window and variable is moved so that its
 * location (the last observed value, or the window mean) is 0, the model sees and predicts
 * values in that frame, and predictions are moved back. With the location at the last value,
 * an output of zero is the naive forecast, so a trend that carries the test period outside
 * the training range no longer carries the inputs outside what the model saw.
 *
 * Scale: the training std (the scaler's), or the window's own std (`scale: 'window'`,
 * floored so a flat window is not blown up); `bench/quality.ts` measures both.
 */
export interface WindowFrame {
  location: 'last' | 'mean'
  scale: 'train' | 'window'
}

export interface FrameShape {
  batch: number
  lookback: number
  /** Input columns per row. */
  variables: number
  horizon: number
  /** Index into the input columns of each target. */
  targetColumns: readonly number[]
}

/** Per window and target: where the frame sits and how wide it is, in scaled units. */
export interface FrameOffsets {
  /** [batch, targets] */
  locations: Float32Array
  /** [batch, targets] */
  scales: Float32Array
}

// a window whose std (in training-std units) is below this is treated as this wide
const MIN_WINDOW_SCALE = 0.05

/**
 * Moves `inputs` ([batch, lookback, variables], row-major) and, when given, `targets`
 * ([batch, horizon, targets]) into each window's frame, in place. Returns the target
 * columns' offsets, which `fromWindowFrame` needs to map predictions back.
 */
export function toWindowFrame(inputs: Float32Array, targets: Float32Array | null, shape: FrameShape, frame: WindowFrame): FrameOffsets {
  const { batch, lookback, variables, horizon, targetColumns } = shape
  const targetCount = targetColumns.length
  const locations = new Float32Array(batch * targetCount)
  const scales = new Float32Array(batch * targetCount)
  const location = new Float64Array(variables)
  const scale = new Float64Array(variables)
  for (let b = 0; b < batch; b++) {
    const base = b * lookback * variables
    for (let v = 0; v < variables; v++) {
      let sum = 0
      for (let t = 0; t < lookback; t++) sum += inputs[base + t * variables + v]!
      const mean = sum / lookback
      location[v] = frame.location === 'last' ? inputs[base + (lookback - 1) * variables + v]! : mean
      if (frame.scale === 'window') {
        let squares = 0
        for (let t = 0; t < lookback; t++) squares += (inputs[base + t * variables + v]! - mean) ** 2
        scale[v] = Math.max(MIN_WINDOW_SCALE, Math.sqrt(squares / lookback))
      } else {
        scale[v] = 1
      }
    }
    for (let t = 0; t < lookback; t++) {
      for (let v = 0; v < variables; v++) {
        const at = base + t * variables + v
        inputs[at] = (inputs[at]! - location[v]!) / scale[v]!
      }
    }
    for (let k = 0; k < targetCount; k++) {
      const column = targetColumns[k]!
      locations[b * targetCount + k] = location[column]!
      scales[b * targetCount + k] = scale[column]!
      if (!targets) continue
      for (let h = 0; h < horizon; h++) {
        const at = (b * horizon + h) * targetCount + k
        targets[at] = (targets[at]! - location[column]!) / scale[column]!
      }
    }
  }
  return { locations, scales }
}

/** Maps predictions ([batch, horizon, targets]) from the windows' frames back to scaled units; a new array. */
export function fromWindowFrame(predicted: ArrayLike<number>, offsets: FrameOffsets, horizon: number, targetCount: number): Float32Array {
  const out = new Float32Array(predicted.length)
  for (let i = 0; i < predicted.length; i++) {
    const b = Math.floor(i / (horizon * targetCount))
    const k = i % targetCount
    const at = b * targetCount + k
    out[i] = predicted[i]! * offsets.scales[at]! + offsets.locations[at]!
  }
  return out
}

/** The scale the window frame uses: measured in bench/quality.ts (see README). */
export const WINDOW_FRAME_SCALE: WindowFrame['scale'] = 'train'

/** The frame of a run that normalises per window. */
export function frameOf(config: { location: WindowFrame['location'] }): WindowFrame {
  return { location: config.location, scale: WINDOW_FRAME_SCALE }
}
