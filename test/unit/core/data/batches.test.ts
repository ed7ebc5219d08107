import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { batchArrays, batchTensors, ScaledSeries, shuffledOrder } from '../../../../src/core/data/batches'
import { modelSpecFromConfig } from '../../../../src/core/model/spec'
import { RunConfigSchema } from '../../../../src/shared/run-config'

// two columns: a = row index, b = 100 + row index (NaN at row 5)
const columns: Record<string, Float64Array> = {
  a: Float64Array.from({ length: 20 }, (_, i) => i),
  b: Float64Array.from({ length: 20 }, (_, i) => (i === 5 ? NaN : 100 + i)),
}
const scales = [
  { name: 'a', mean: 0, std: 1, status: 'ok' as const },
  { name: 'b', mean: 100, std: 2, status: 'ok' as const },
]

describe('ScaledSeries', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu')
  })

  it('reads rows across block boundaries, scaled, with a missing value imputed as 0', () => {
    const reads: string[] = []
    const series = new ScaledSeries((name, { start, end }) => {
      reads.push(`${name}:${start}-${end}`)
      return columns[name]!.subarray(start, end)
    }, scales, 20, 4)
    const out = new Float32Array(6 * 2)
    series.copyRows(3, 6, out, 0)
    expect(Array.from(out)).toEqual([3, 1.5, 4, 2, 5, 0, 6, 3, 7, 3.5, 8, 4])
    // rows 3..8 live in blocks 0, 1 and 2, each read once per column
    expect(reads).toEqual(['a:0-4', 'b:0-4', 'a:4-8', 'b:4-8', 'a:8-12', 'b:8-12'])
    series.copyRows(4, 2, out, 0)
    expect(reads).toHaveLength(6)
  })

  it('keeps at most the configured bytes of blocks', () => {
    let reads = 0
    // 4 rows × 2 columns × 4 bytes = 32 bytes per block; 64 bytes keep two blocks
    const series = new ScaledSeries((name, { start, end }) => {
      reads++
      return columns[name]!.subarray(start, end)
    }, scales, 20, 4, 64)
    const out = new Float32Array(2)
    for (const row of [0, 4, 8, 0]) series.copyRows(row, 1, out, 0)
    expect(reads).toBe(8)
  })

  it('cuts inputs and targets of each window and lays them out for the model', () => {
    const series = new ScaledSeries((name, { start, end }) => columns[name]!.subarray(start, end), scales, 20, 8)
    const data = { lookback: 4, horizon: 2, targetColumns: [1] }
    const arrays = batchArrays(series, data, [0, 10])
    // row 5 of b is missing: imputed 0 here (makeWindows drops such windows before they get this far)
    expect(Array.from(arrays.targets)).toEqual([2, 0, 7, 7.5])
    expect(Array.from(arrays.inputs.subarray(0, 8))).toEqual([0, 0, 1, 0.5, 2, 1, 3, 1.5])
    const config = RunConfigSchema.parse({ datasetId: 1, lookback: 4, horizon: 2, targets: ['b'], subseq: 2 })
    const spec = modelSpecFromConfig(config, 2)
    const { x, y } = batchTensors(arrays, spec, { horizon: 2, targetColumns: [1] })
    expect(x.shape).toEqual([2, 2, 1, 2, 2])
    expect(y.shape).toEqual([2, 2, 1])
    tf.dispose([x, y])
  })
})

describe('shuffledOrder', () => {
  it('is a permutation that depends on seed and epoch only', () => {
    const starts = Int32Array.from({ length: 50 }, (_, i) => i * 2)
    const a = shuffledOrder(starts, 42, 1)
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(starts))
    expect(Array.from(shuffledOrder(starts, 42, 1))).toEqual(Array.from(a))
    expect(Array.from(shuffledOrder(starts, 42, 2))).not.toEqual(Array.from(a))
    expect(Array.from(shuffledOrder(starts, 43, 1))).not.toEqual(Array.from(a))
  })
})
