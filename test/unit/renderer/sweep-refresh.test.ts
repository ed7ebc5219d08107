import { describe, expect, it } from 'vitest'
import { sweepRefresher, withSweep } from '../../../src/renderer/src/composables/sweep-refresh'
import type { SweepDetail, SweepTrial } from '../../../src/shared/sweeps'

const trial = (n: number, runId: number | null, runStatus: SweepTrial['runStatus'] = null): SweepTrial => ({
  trial: n,
  values: { lr: n },
  config: { datasetId: 1 } as SweepTrial['config'], // the refresher never reads a trial's config
  runId,
  runStatus,
  state: runStatus === null ? 'pending' : runStatus === 'running' ? 'active' : 'done',
  error: null,
})
const sweep = (id: number, trials: SweepTrial[]): SweepDetail => ({ id, datasetId: 1, createdAt: 't', finishedAt: null, spec: { mode: 'grid', dimensions: [] }, parallel: 1, trials })

/** A host whose answers wait until the test lets them go, one per call, in the order asked. */
function fakeHost(stored: Map<number, SweepDetail>) {
  const calls: string[] = []
  const waiting: Array<() => void> = []
  let shown: SweepDetail[] = []
  const answer = <T>(value: () => T) => new Promise<T>((resolve) => waiting.push(() => resolve(value())))
  const refresher = sweepRefresher({
    list: () => {
      calls.push('listSweeps')
      // read when asked, answered later: what the host held then
      const snapshot = [...stored.values()].reverse()
      return answer(() => snapshot)
    },
    read: (id) => {
      calls.push(`getSweep ${id}`)
      const snapshot = stored.get(id)!
      return answer(() => snapshot)
    },
    shown: () => shown,
    show: (list) => (shown = list),
  })
  /** Lets every waiting answer go, and the reads they start, until none waits. */
  async function settle(): Promise<void> {
    while (waiting.length > 0) {
      waiting.shift()!()
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
  }
  return { calls, refresher, settle, shown: () => shown }
}

describe('the Sweep view\'s refresher', () => {
  it('reads the list once, then only the sweep a run of which changed, and nothing for a run of no sweep', async () => {
    const stored = new Map([[1, sweep(1, [trial(1, 10, 'completed')])], [2, sweep(2, [trial(1, 20, 'queued')])]])
    const host = fakeHost(stored)
    void host.refresher.all()
    await host.settle()
    stored.set(2, sweep(2, [trial(1, 20, 'running')]))
    host.refresher.runChanged(20)
    await host.settle()
    host.refresher.runChanged(99)
    await host.settle()
    expect(host.calls).toEqual(['listSweeps', 'getSweep 2'])
    expect(host.shown().map((s) => [s.id, s.trials[0]!.runStatus])).toEqual([[2, 'running'], [1, 'completed']])
  })

  it('coalesces changes while a read is on the way into one more read, whose answer is the last state', async () => {
    const stored = new Map([[3, sweep(3, [trial(1, 30, 'queued'), trial(2, null)])]])
    const host = fakeHost(stored)
    void host.refresher.all()
    await host.settle()
    host.refresher.runChanged(30)
    // three changes while that read waits: one read after it, not three
    stored.set(3, sweep(3, [trial(1, 30, 'stopped'), trial(2, null)]))
    host.refresher.runChanged(30)
    void host.refresher.request(3)
    host.refresher.runChanged(30)
    await host.settle()
    expect(host.calls).toEqual(['listSweeps', 'getSweep 3', 'getSweep 3'])
    expect(host.shown()[0]!.trials[0]!.runStatus).toBe('stopped')
  })

  it('reads a sweep again when a run it did not yet show as a trial changes while it is read', async () => {
    const stored = new Map([[4, sweep(4, [trial(1, null)])]])
    const host = fakeHost(stored)
    void host.refresher.all()
    await host.settle()
    void host.refresher.request(4)
    // the trial's run started after that read was answered by the host: the answer does not know it
    stored.set(4, sweep(4, [trial(1, 40, 'running')]))
    host.refresher.runChanged(40)
    await host.settle()
    expect(host.calls).toEqual(['listSweeps', 'getSweep 4', 'getSweep 4'])
    expect(host.shown()[0]!.trials[0]!.runStatus).toBe('running')
  })

  it('lists again after the list lands when a sweep changed while it was on the way', async () => {
    const stored = new Map([[5, sweep(5, [trial(1, 50, 'running')])]])
    const host = fakeHost(stored)
    void host.refresher.all()
    stored.set(5, sweep(5, [trial(1, 50, 'completed')]))
    void host.refresher.request(5)
    await host.settle()
    expect(host.calls).toEqual(['listSweeps', 'listSweeps'])
    expect(host.shown()[0]!.trials[0]!.runStatus).toBe('completed')
  })

  it('lists again after the list lands when a run of no shown sweep changes while it is on the way: it may be a trial that just started', async () => {
    const stored = new Map([[6, sweep(6, [trial(1, null)])]])
    const host = fakeHost(stored)
    void host.refresher.all()
    stored.set(6, sweep(6, [trial(1, 60, 'running')]))
    host.refresher.runChanged(60)
    await host.settle()
    expect(host.calls).toEqual(['listSweeps', 'listSweeps'])
    expect(host.shown()[0]!.trials[0]!.runStatus).toBe('running')
  })

  it('puts a new sweep first and replaces a known one in place', () => {
    const a = sweep(1, [])
    const b = sweep(2, [])
    expect(withSweep([a], b).map((s) => s.id)).toEqual([2, 1])
    const a2 = sweep(1, [trial(1, 7, 'running')])
    expect(withSweep([b, a], a2)).toEqual([b, a2])
  })
})
