import type { RunConfig } from '../../shared/run-config'
import { batchArrays, batchTensors, type ScaledSeries } from '../data/batches'
import type { TrainingData } from '../data/training-data'
import type { ModelSpec } from '../model/spec'
import type { Trainer } from './step'

/** Scoring needs no gradients: larger batches mean fewer kernel launches for the same mean. */
export function evalBatch(config: Pick<RunConfig, 'batch'>): number {
  return Math.max(config.batch, 256)
}

/** Mean data loss over windows, in batches (scaled units); NaN when there are none. */
export async function meanLoss(trainer: Trainer, spec: ModelSpec, data: TrainingData, series: ScaledSeries, starts: Int32Array, batch: number): Promise<number> {
  if (starts.length === 0) return NaN
  let sum = 0
  for (let from = 0; from < starts.length; from += batch) {
    const part = starts.subarray(from, Math.min(starts.length, from + batch))
    const { x, y } = batchTensors(batchArrays(series, data, part), spec, data)
    try {
      sum += (await trainer.evaluate(x, y)) * part.length
    } finally {
      x.dispose()
      y.dispose()
    }
  }
  return sum / starts.length
}
