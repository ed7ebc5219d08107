/**
 * A Float64Array that grows by doubling, so a column of unknown length is read without a
 * per-cell allocation; `view()` is the filled part without a copy.
 */
export class GrowableFloat64 {
  private data: Float64Array
  length = 0

  constructor(initialCapacity = 4096) {
    this.data = new Float64Array(Math.max(16, initialCapacity))
  }

  push(value: number): void {
    // kept tiny so the optimiser inlines it into the per-cell loop; growing is the cold path
    if (this.length === this.data.length) this.grow()
    this.data[this.length++] = value
  }

  private grow(): void {
    const bigger = new Float64Array(this.data.length * 2)
    bigger.set(this.data)
    this.data = bigger
  }

  /** Drops the storage (the builder is empty afterwards). */
  release(): void {
    this.data = new Float64Array(16)
    this.length = 0
  }

  /** The values pushed so far (shares memory with this builder until it grows again). */
  view(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}
