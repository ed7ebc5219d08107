import { describe, expect, it } from 'vitest'
import { runFeedback } from '../../../src/main/run-feedback'
import { runFraction } from '../../../src/shared/api'

function view(focused = false) {
  const progress: Array<number | null> = []
  const notes: Array<{ title: string; body: string }> = []
  return { progress, notes, setProgress: (f: number | null) => progress.push(f), notify: (title: string, body: string) => notes.push({ title, body }), isFocused: () => focused }
}
const step = (runId: number, epoch: number, step: number) => ({ runId, epoch, totalEpochs: 4, step, stepsPerEpoch: 10, loss: 1, gradNorms: [] })

describe('runFraction', () => {
  it('counts the finished epochs and the steps of the current one', () => {
    expect(runFraction({ epoch: 1, totalEpochs: 4, step: 5, stepsPerEpoch: 10 })).toBe(0.125)
    expect(runFraction({ epoch: 4, totalEpochs: 4, step: 10, stepsPerEpoch: 10 })).toBe(1)
    expect(runFraction({ epoch: 1, totalEpochs: 0, step: 0, stepsPerEpoch: 0 })).toBe(0)
  })
})

describe('runFeedback', () => {
  it('shows the mean progress of the runs in flight and clears the bar when none is left', () => {
    const v = view()
    const feed = runFeedback(v, 1000, () => 0)
    feed('run:progress', step(1, 1, 5))
    feed('run:progress', step(2, 3, 0))
    feed('run:status', { runId: 1, status: 'completed' })
    feed('run:status', { runId: 2, status: 'stopped' })
    expect(v.progress).toEqual([0.125, (0.125 + 0.5) / 2, 0.5, null])
  })

  it('notifies when a long run ends while the window is not focused, with the error when it failed', () => {
    let clock = 0
    const v = view(false)
    const feed = runFeedback(v, 1000, () => clock)
    feed('run:status', { runId: 7, status: 'running' })
    clock = 5000
    feed('run:status', { runId: 7, status: 'diverged', error: { code: 'RUN_DIVERGED', message: 'The loss became NaN at epoch 3.' } })
    expect(v.notes).toEqual([{ title: 'Run #7 diverged', body: 'The loss became NaN at epoch 3.' }])
  })

  it('stays quiet for a short run, or while the window has the focus', () => {
    let clock = 0
    const quick = view(false)
    const feed = runFeedback(quick, 1000, () => clock)
    feed('run:status', { runId: 1, status: 'running' })
    clock = 500
    feed('run:status', { runId: 1, status: 'completed' })
    expect(quick.notes).toEqual([])
    const focused = view(true)
    const feedFocused = runFeedback(focused, 1000, () => clock)
    feedFocused('run:status', { runId: 2, status: 'running' })
    clock = 5000
    feedFocused('run:status', { runId: 2, status: 'completed' })
    expect(focused.notes).toEqual([])
  })
})
