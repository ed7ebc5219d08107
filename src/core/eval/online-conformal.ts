/**
 * Online (expanding-window) split-conformal intervals for a rolling evaluation: a forecast
 * made at origin row o is calibrated on the absolute residuals of every earlier window that is
 * known by then. Step h (1…H) of the window with origin row p forecasts row p + h, so its
 * residual is known at origin o exactly when p + h ≤ o; a window's steps become known one by
 * one. Each horizon step and target keeps its own sample: the latest `capacity` known
 * residuals, sorted, so the ⌈(n + 1)·α⌉-th smallest (conformalQuantile) is read directly.
 * Windows must be added in non-decreasing origin order.
 *
 * With `gamma` > 0, adaptive conformal inference (Gibbs & Candès, NeurIPS 2021) runs on top,
 * per level, step and target: a window given its half-widths (addWindow's `issued`) updates
 * that cell's miscoverage αₜ₊₁ = αₜ + γ(α − errₜ) once its residual is known (errₜ = 1 when the
 * residual exceeded the half-width it was given), and half-widths are read at level 1 − αₜ
 * (αₜ ≤ 0 gives the largest residual, αₜ ≥ 1 the smallest).
 */
import { conformalRank } from './conformal'

/** The latest `capacity` finite values, kept sorted (oldest evicted first). */
interface CellSample {
  sorted: Float64Array
  count: number
  /** Values in arrival order, a ring of `capacity`; `next` is the oldest once full. */
  ring: Float64Array
  next: number
}

export interface OnlineConformal {
  /** Cells per window: horizon · targets, [horizon, targets] row-major (step of cell c is ⌊c / targets⌋ + 1). */
  cells: number
  targets: number
  capacity: number
  /** Added windows not yet known at every step: origins and residual rows, oldest first. */
  pendingOrigins: number[]
  pendingResiduals: Float64Array[]
  /** Per cell, how many of the pending windows it has released into its sample. */
  released: Int32Array
  samples: CellSample[]
  /** The half-widths each pending window was given, by level (undefined for calibration windows). */
  pendingIssued: Array<Record<string, ArrayLike<number>> | undefined>
  gamma: number
  /** ACI's current miscoverage per level and cell, from 1 − level/100. */
  alpha: Record<string, Float64Array>
}

export function createOnlineConformal(horizon: number, targets: number, capacity: number, aci: { gamma: number; levels: readonly number[] } = { gamma: 0, levels: [] }): OnlineConformal {
  const cells = horizon * targets
  const samples = Array.from({ length: cells }, () => ({ sorted: new Float64Array(capacity), count: 0, ring: new Float64Array(capacity), next: 0 }))
  const alpha = Object.fromEntries(aci.levels.map((level) => [String(level), new Float64Array(cells).fill(1 - level / 100)]))
  return { cells, targets, capacity, pendingOrigins: [], pendingResiduals: [], released: new Int32Array(cells), samples, pendingIssued: [], gamma: aci.gamma, alpha }
}

/**
 * Queues a window's absolute residuals ([horizon · targets]; NaN where the actual is missing);
 * each step enters its cell's sample once known. `issued`: the half-widths the window was
 * given, by level, for ACI's update.
 */
export function addWindow(online: OnlineConformal, origin: number, absoluteResiduals: ArrayLike<number>, issued?: Record<string, ArrayLike<number>>): void {
  const last = online.pendingOrigins[online.pendingOrigins.length - 1]
  if (last !== undefined && origin < last) throw new Error(`windows must be added in origin order (${origin} after ${last})`)
  online.pendingOrigins.push(origin)
  online.pendingResiduals.push(Float64Array.from(absoluteResiduals))
  online.pendingIssued.push(issued)
}

/** Moves every pending residual known at origin row `origin` (its target row ≤ origin) into its cell's sample. */
export function releaseKnown(online: OnlineConformal, origin: number): void {
  const { cells, targets, pendingOrigins, pendingResiduals, released } = online
  for (let c = 0; c < cells; c++) {
    const step = Math.floor(c / targets) + 1
    let w = released[c]!
    while (w < pendingOrigins.length && pendingOrigins[w]! + step <= origin) {
      const residual = pendingResiduals[w]![c]!
      updateAlpha(online, c, residual, online.pendingIssued[w])
      insert(online, c, residual)
      w++
    }
    released[c] = w
  }
  // windows every cell has released are dropped, so memory stays at the unknown ones
  const done = released.reduce((a, b) => Math.min(a, b), Infinity)
  if (done > 0 && Number.isFinite(done)) {
    pendingOrigins.splice(0, done)
    pendingResiduals.splice(0, done)
    online.pendingIssued.splice(0, done)
    for (let c = 0; c < cells; c++) released[c] = released[c]! - done
  }
}

function updateAlpha(online: OnlineConformal, cell: number, residual: number, issued: Record<string, ArrayLike<number>> | undefined): void {
  if (online.gamma === 0 || !issued || !Number.isFinite(residual)) return
  for (const [level, alpha] of Object.entries(online.alpha)) {
    const width = issued[level]?.[cell]
    if (width === undefined || Number.isNaN(width)) continue
    const err = residual > width ? 1 : 0
    alpha[cell] = alpha[cell]! + online.gamma * (1 - Number(level) / 100 - err)
  }
}

function insert(online: OnlineConformal, cell: number, value: number): void {
  if (!Number.isFinite(value)) return
  const sample = online.samples[cell]!
  if (sample.count === online.capacity) {
    removeSorted(sample, sample.ring[sample.next]!)
  }
  sample.ring[sample.next] = value
  sample.next = (sample.next + 1) % online.capacity
  const at = lowerBound(sample.sorted, sample.count, value)
  sample.sorted.copyWithin(at + 1, at, sample.count)
  sample.sorted[at] = value
  sample.count++
}

function removeSorted(sample: CellSample, value: number): void {
  const at = lowerBound(sample.sorted, sample.count, value)
  sample.sorted.copyWithin(at, at + 1, sample.count)
  sample.count--
}

/** The first index in sorted[0, n) whose value is ≥ value. */
function lowerBound(sorted: Float64Array, n: number, value: number): number {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The split-conformal half-width of each cell's current sample at `level` (percent; ACI's level 1 − αₜ when it runs); NaN for a cell with no known residual. */
export function halfWidths(online: OnlineConformal, level: number): Float64Array {
  const alpha = online.gamma > 0 ? online.alpha[String(level)] : undefined
  return Float64Array.from(online.samples, (sample, c) => {
    const at = alpha ? 100 * (1 - alpha[c]!) : level
    return sample.count === 0 ? NaN : sample.sorted[conformalRank(sample.count, at) - 1]!
  })
}

/** Half-widths per level for a forecast made at origin row `origin`: releases what is known by then first. */
export function halfWidthsAt(online: OnlineConformal, origin: number, levels: readonly number[]): Record<string, Float64Array> {
  releaseKnown(online, origin)
  return Object.fromEntries(levels.map((level) => [String(level), halfWidths(online, level)]))
}

/** The smallest sample size over the cells: every cell's half-width rests on at least this many residuals. */
export function sampleSize(online: OnlineConformal): number {
  return online.samples.reduce((n, sample) => Math.min(n, sample.count), Infinity)
}
