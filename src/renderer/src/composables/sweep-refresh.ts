import type { SweepDetail } from '../../../shared/sweeps'

/** What the refresher reads through (the Api; undefined when a read failed) and where it shows what it read. */
export interface SweepReads {
  list(): Promise<SweepDetail[] | undefined>
  read(id: number): Promise<SweepDetail | undefined>
  shown(): readonly SweepDetail[]
  show(sweeps: SweepDetail[]): void
}

/** The list with `sweep` in place of the one of its id, or first (newest first, as listSweeps orders them) when it is new. */
export function withSweep(list: readonly SweepDetail[], sweep: SweepDetail): SweepDetail[] {
  const at = list.findIndex((s) => s.id === sweep.id)
  return at === -1 ? [sweep, ...list] : list.map((s, i) => (i === at ? sweep : s))
}

/**
 * Runs `load(key)` at most once at a time per key: asked again while it is on its way, it loads
 * that key once more after it lands (however often it was asked), so the last ask is always
 * answered by a load begun after it, and no older answer replaces a newer one.
 */
export function coalescer<K>(load: (key: K) => Promise<void>) {
  const loading = new Map<K, Promise<void>>()
  const again = new Set<K>()

  async function untilCurrent(key: K): Promise<void> {
    try {
      do {
        again.delete(key)
        await load(key)
      } while (again.has(key))
    } finally {
      loading.delete(key)
    }
  }

  return {
    run(key: K): Promise<void> {
      const current = loading.get(key)
      if (current) {
        again.add(key)
        return current
      }
      const next = untilCurrent(key)
      loading.set(key, next)
      return next
    },
    /** The load of `key` on its way, if any. */
    pending: (key: K): Promise<void> | undefined => loading.get(key),
    /** Every load on its way loads once more after it lands. */
    againAll(): void {
      for (const key of loading.keys()) again.add(key)
    },
  }
}

/** The coalescer's key for the whole list. */
const ALL = 'all'

/**
 * Keeps the shown sweeps current with one read per change, never the whole list per event:
 * a sweep is re-read alone (read), and a change while its read is on the way reads it once
 * more after it lands (coalescer). A run's status re-reads the sweep the run is a trial of; a
 * run of no shown sweep is either no trial (nothing to read) or a trial started after a read
 * now on its way (the list's too), which is then read again, so a trial's start is never lost.
 * The whole list is read on `all` only (the view opening), as one more key.
 */
export function sweepRefresher(reads: SweepReads) {
  const loads = coalescer<number | typeof ALL>(async (key) => {
    if (key === ALL) {
      const list = await reads.list()
      if (list) reads.show(list)
      return
    }
    const sweep = await reads.read(key)
    if (sweep) reads.show(withSweep(reads.shown(), sweep))
  })

  // the list on its way may have been read before this change: it is read again instead
  const request = (id: number): Promise<void> => (loads.pending(ALL) ? loads.run(ALL) : loads.run(id))

  return {
    all: (): Promise<void> => loads.run(ALL),
    request,
    runChanged(runId: number): void {
      const owner = reads.shown().find((sweep) => sweep.trials.some((trial) => trial.runId === runId))
      if (owner) void request(owner.id)
      else loads.againAll()
    },
  }
}
