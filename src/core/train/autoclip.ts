import { percentileOfSorted } from '../stats'

/**
 * The norm history behind AutoClip (Seetharaman et al., MLSP 2020): each step is clipped at the
 * p-th percentile of every global norm seen so far, the current one included, as their
 * reference code does with `np.percentile(history, p)`.
 *
 * Up to AUTOCLIP_EXACT_CAP norms the history is exact, so the thresholds equal numpy's. Past
 * it the history becomes a uniform reservoir of that many norms (Vitter's algorithm R, seeded,
 * so a run and its resumption draw the same slots). The percentile of a uniform sample of k
 * norms has a rank error with standard deviation √(p(1−p)/k): for k = 16,384 and p = 10% that
 * is 0.23 percentile points, so the threshold lies between the true p9.5 and p10.5 in 97% of
 * steps (about ±2σ). Memory stays at 2 × 16,384 numbers whatever the run's length.
 */
export const AUTOCLIP_EXACT_CAP = 16_384

/** Everything a resumed run needs to continue with the same thresholds (stored in the checkpoint). */
export interface NormHistoryState {
  cap: number
  /** Norms offered so far (past the cap, more than the reservoir holds). */
  seen: number
  /** The reservoir's random state (mulberry32). */
  rngState: number
  /** The kept norms in slot order (float32: the norms come from a float32 download, so this is lossless). */
  values: Float32Array
}

export class NormHistory {
  private slots: Float32Array
  private sorted: Float64Array
  private size = 0
  private sortedCount = 0
  private count = 0
  private rng: number

  constructor(seed = 0, readonly cap = AUTOCLIP_EXACT_CAP) {
    this.slots = new Float32Array(cap)
    this.sorted = new Float64Array(cap)
    this.rng = seed >>> 0
  }

  static fromState(state: NormHistoryState): NormHistory {
    const history = new NormHistory(0, state.cap)
    history.rng = state.rngState >>> 0
    history.count = state.seen
    // one sort of the kept norms, not an insertion each (quadratic in a full history, on every resume and rollback)
    history.sorted.set(state.values)
    history.sorted.subarray(0, state.values.length).sort()
    history.sortedCount = state.values.length
    history.slots.set(state.values)
    history.size = state.values.length
    return history
  }

  get seen(): number {
    return this.count
  }

  /** Offers one finite norm to the history. */
  add(norm: number): void {
    const value = Math.fround(norm)
    this.count++
    if (this.size < this.cap) {
      this.slots[this.size++] = value
      this.insertSorted(value)
      return
    }
    // algorithm R: the count-th norm replaces a random slot with probability cap / count
    const slot = Math.floor(this.random() * this.count)
    if (slot >= this.cap) return
    this.removeSorted(this.slots[slot]!)
    this.slots[slot] = value
    this.insertSorted(value)
  }

  /** The p-th percentile (0 < p ≤ 100) of the kept norms; NaN when there are none. */
  percentile(p: number): number {
    return percentileOfSorted(this.sorted.subarray(0, this.sortedCount), p, 'linear')
  }

  toState(): NormHistoryState {
    return { cap: this.cap, seen: this.count, rngState: this.rng, values: this.slots.slice(0, this.size) }
  }

  private insertSorted(value: number): void {
    const at = this.lowerBound(value)
    this.sorted.copyWithin(at + 1, at, this.sortedCount)
    this.sorted[at] = value
    this.sortedCount++
  }

  private removeSorted(value: number): void {
    const at = this.lowerBound(value)
    this.sorted.copyWithin(at, at + 1, this.sortedCount)
    this.sortedCount--
  }

  private lowerBound(value: number): number {
    let lo = 0
    let hi = this.sortedCount
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.sorted[mid]! < value) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** mulberry32: a small, seedable generator whose whole state is one u32 (stored with the checkpoint). */
  private random(): number {
    this.rng = (this.rng + 0x6d2b79f5) >>> 0
    let t = this.rng
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The AutoClip threshold of every step of a norm sequence: what the run would have used. */
export function autoClipThresholds(norms: readonly number[], p: number, cap = AUTOCLIP_EXACT_CAP, seed = 0): number[] {
  const history = new NormHistory(seed, cap)
  return norms.map((norm) => {
    history.add(norm)
    return history.percentile(p)
  })
}
