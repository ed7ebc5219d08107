import * as tf from '@tensorflow/tfjs'
import type { ColumnScale } from './scaler'
import { toWindowFrame, type FrameOffsets } from './window-frame'
import { toModelInput } from '../model/layout'
import type { ModelSpec } from '../model/spec'
import { readColumn } from '../store/datasets'
import { CHUNK_ROWS } from '../store/migrations'
import type { Db } from '../store/workspace'
import type { TrainingData } from './training-data'
import { mulberry32 } from '../../shared/random'

export { mulberry32 }

export type ReadRange = (name: string, range: { start: number; end: number }) => Float64Array

/**
 * The dataset's input columns, scaled and imputed, read block by block on demand and kept
 * in a byte-bounded LRU cache: memory stays bounded however long the series, and no tensor
 * of all windows ever exists (windows overlap lookback-fold).
 */
export class ScaledSeries {
  private readonly blocks = new Map<number, Float32Array>()
  private readonly maxBlocks: number

  constructor(
    private readonly read: ReadRange,
    private readonly scales: ColumnScale[],
    readonly rows: number,
    private readonly blockRows = CHUNK_ROWS,
    maxBytes = 256 * 1024 * 1024,
  ) {
    this.maxBlocks = Math.max(2, Math.floor(maxBytes / (blockRows * Math.max(1, scales.length) * 4)))
  }

  get variables(): number {
    return this.scales.length
  }

  /** Block b as [rows, variables] row-major, scaled; missing values become 0 (the training mean). */
  private block(b: number): Float32Array {
    const cached = this.blocks.get(b)
    if (cached) {
      this.blocks.delete(b)
      this.blocks.set(b, cached)
      return cached
    }
    const start = b * this.blockRows
    const end = Math.min(this.rows, start + this.blockRows)
    const vars = this.scales.length
    const out = new Float32Array((end - start) * vars)
    this.scales.forEach((scale, v) => {
      const values = this.read(scale.name, { start, end })
      for (let r = 0; r < values.length; r++) {
        const value = values[r]!
        out[r * vars + v] = Number.isFinite(value) ? (value - scale.mean) / scale.std : 0
      }
    })
    this.blocks.set(b, out)
    if (this.blocks.size > this.maxBlocks) this.blocks.delete(this.blocks.keys().next().value as number)
    return out
  }

  /** Copies rows [start, start + count) × all variables into `out` at `offset`. */
  copyRows(start: number, count: number, out: Float32Array, offset: number): void {
    const vars = this.scales.length
    let row = start
    let at = offset
    while (row < start + count) {
      const b = Math.floor(row / this.blockRows)
      const block = this.block(b)
      const from = row - b * this.blockRows
      const take = Math.min(start + count - row, this.blockRows - from)
      out.set(block.subarray(from * vars, (from + take) * vars), at)
      row += take
      at += take * vars
    }
  }
}

/** The scaled-value reader of a run's dataset. */
export function seriesFor(db: Db, data: TrainingData): ScaledSeries {
  return new ScaledSeries((name, range) => readColumn(db, data.dataset.id, name, range), data.scales, data.dataset.rows)
}

export interface BatchArrays {
  /** [batch, lookback, inputs] row-major, scaled (and in each window's frame when the run normalises per window) */
  inputs: Float32Array
  /** [batch, horizon, targets] row-major, in the same units as the inputs; empty without targets */
  targets: Float32Array
  batch: number
  /** The window frames' offsets (TrainingData.frame); absent with global normalisation. */
  frame?: FrameOffsets
}

type BatchData = Pick<TrainingData, 'lookback' | 'horizon' | 'targetColumns'> & Partial<Pick<TrainingData, 'frame'>>

/**
 * Cuts the windows starting at `starts` out of the series (scaled units), moved into each
 * window's frame when `data.frame` is set. `withTargets: false` reads the inputs only (a
 * forecast from the end of the data, where no target rows exist).
 */
export function batchArrays(series: ScaledSeries, data: BatchData, starts: ArrayLike<number>, withTargets = true): BatchArrays {
  const { lookback, horizon, targetColumns } = data
  const vars = series.variables
  const batch = starts.length
  const inputs = new Float32Array(batch * lookback * vars)
  const targets = new Float32Array(withTargets ? batch * horizon * targetColumns.length : 0)
  const future = new Float32Array(horizon * vars)
  for (let b = 0; b < batch; b++) {
    const start = starts[b]!
    series.copyRows(start, lookback, inputs, b * lookback * vars)
    if (!withTargets) continue
    series.copyRows(start + lookback, horizon, future, 0)
    for (let h = 0; h < horizon; h++) {
      for (let t = 0; t < targetColumns.length; t++) targets[(b * horizon + h) * targetColumns.length + t] = future[h * vars + targetColumns[t]!]!
    }
  }
  if (!data.frame) return { inputs, targets, batch }
  const frame = toWindowFrame(inputs, withTargets ? targets : null, { batch, lookback, variables: vars, horizon, targetColumns }, data.frame)
  return { inputs, targets, batch, frame }
}

/** The model's tensors for a batch: x per the spec's layout, y [batch, horizon, targets]. Caller disposes. */
export function batchTensors(arrays: BatchArrays, spec: ModelSpec, data: Pick<TrainingData, 'horizon' | 'targetColumns' | 'grid'>): { x: tf.Tensor5D; y: tf.Tensor3D } {
  const x = toModelInput(arrays.inputs, arrays.batch, spec, data.grid?.order)
  const y = tf.tensor3d(arrays.targets, [arrays.batch, data.horizon, data.targetColumns.length])
  return { x, y }
}

/** The epoch's order of training windows: a Fisher–Yates shuffle seeded by (seed, epoch). */
export function shuffledOrder(starts: Int32Array, seed: number, epoch: number): Int32Array {
  const order = starts.slice()
  const random = mulberry32((seed * 2654435761 + epoch * 40503) >>> 0)
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = order[i]!
    order[i] = order[j]!
    order[j] = tmp
  }
  return order
}
