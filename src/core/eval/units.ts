import { unscaleValue } from '../data/scaler'
import { fromWindowFrame, type FrameOffsets } from '../data/window-frame'
import type { TrainingData } from '../data/training-data'
import type { ForecastBlock } from './metrics'

/**
 * Outputs of a model of the run ([windows, horizon, targets]) in original units: moved back
 * from each window's frame (when the run normalises per window), then unscaled with the run's
 * training scaler.
 */
export function toOriginalUnits(outputs: ArrayLike<number>, frame: FrameOffsets | undefined, data: Pick<TrainingData, 'horizon' | 'targets' | 'targetColumns' | 'scales'>): ForecastBlock {
  const targets = data.targets.length
  const scaled = frame ? fromWindowFrame(outputs, frame, data.horizon, targets) : outputs
  const targetScales = data.targetColumns.map((column) => data.scales[column]!)
  const values = new Float64Array(outputs.length)
  for (let i = 0; i < values.length; i++) values[i] = unscaleValue(targetScales[i % targets]!, scaled[i]!)
  return { values, windows: outputs.length / (data.horizon * targets), horizon: data.horizon, targets }
}
