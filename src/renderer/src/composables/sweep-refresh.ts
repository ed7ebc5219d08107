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
 * Keeps the shown sweeps current with one read per change, never the whole list per event:
 * a sweep is re-read alone (read), and a change while its read is on the way reads it once
 * more after it lands, so the last change always shows and no answer older than another
 * replaces it. A run's status re-reads the sweep the run is a trial of; a run of no shown sweep
 * is either no trial (nothing to read) or a trial started after a read now on its way, which
 * is then read again. The whole list is read on `all` only (the view opening).
 */
export function sweepRefresher(reads: SweepReads) {
  const reading = new Map<number, Promise<void>>()
  const again = new Set<number>()
  let listing: Promise<void> | null = null
  let listAgain = false

  async function readUntilCurrent(id: number): Promise<void> {
    do {
      again.delete(id)
      const sweep = await reads.read(id)
      if (sweep) reads.show(withSweep(reads.shown(), sweep))
    } while (again.has(id))
    reading.delete(id)
  }

  function request(id: number): Promise<void> {
    if (listing) {
      // the list on its way may have been read before this change
      listAgain = true
      return listing
    }
    const current = reading.get(id)
    if (current) {
      again.add(id)
      return current
    }
    const read = readUntilCurrent(id)
    reading.set(id, read)
    return read
  }

  async function listUntilCurrent(): Promise<void> {
    do {
      listAgain = false
      const list = await reads.list()
      if (list) reads.show(list)
    } while (listAgain)
    listing = null
  }

  return {
    all(): Promise<void> {
      if (listing) {
        listAgain = true
        return listing
      }
      listing = listUntilCurrent()
      return listing
    },
    request,
    runChanged(runId: number): void {
      const owner = reads.shown().find((sweep) => sweep.trials.some((trial) => trial.runId === runId))
      if (owner) {
        void request(owner.id)
        return
      }
      if (listing) listAgain = true
      for (const id of reading.keys()) again.add(id)
    },
  }
}
