import { describe, expect, it } from 'vitest'
import { divergenceError, spikeLimit, stepDivergence, tunablesAfterDivergence } from '../../../../src/core/train/guard'

describe('spikeLimit', () => {
  it('is a thousand times the best step loss, never below 1 (an exact warm start is not a spike away from noise)', () => {
    expect(spikeLimit(0.5)).toBe(500)
    expect(spikeLimit(3.7e-15)).toBe(1)
  })
})

describe('tunablesAfterDivergence', () => {
  it('halves the learning rate and the norm clip threshold', () => {
    expect(tunablesAfterDivergence({ lr: 0.01, clip: 'norm', clipThreshold: 3, clipPercentile: 10 }, [4, 1, 3, 2]))
      .toEqual({ lr: 0.005, clip: 'norm', clipThreshold: 1.5, clipPercentile: 10 })
  })

  it('halves the threshold of value and per-tensor clipping alike', () => {
    expect(tunablesAfterDivergence({ lr: 0.002, clip: 'value', clipThreshold: 0.5, clipPercentile: 10 }, [])).toEqual({ lr: 0.001, clip: 'value', clipThreshold: 0.25, clipPercentile: 10 })
    expect(tunablesAfterDivergence({ lr: 0.002, clip: 'tensor', clipThreshold: 8, clipPercentile: 10 }, [])).toEqual({ lr: 0.001, clip: 'tensor', clipThreshold: 4, clipPercentile: 10 })
  })

  it('turns norm clipping on at the median healthy norm when clipping was off', () => {
    expect(tunablesAfterDivergence({ lr: 0.01, clip: 'none', clipThreshold: 1, clipPercentile: 10 }, [4, 1, 3, 2]))
      .toEqual({ lr: 0.005, clip: 'norm', clipThreshold: 2.5, clipPercentile: 10 })
    // no healthy step yet (or only zero norms): a threshold of 1
    expect(tunablesAfterDivergence({ lr: 0.01, clip: 'none', clipThreshold: 7, clipPercentile: 10 }, []).clipThreshold).toBe(1)
    expect(tunablesAfterDivergence({ lr: 0.01, clip: 'none', clipThreshold: 7, clipPercentile: 10 }, [0, 0]).clipThreshold).toBe(1)
  })

  it('lowers AutoClip\'s percentile instead of its threshold', () => {
    expect(tunablesAfterDivergence({ lr: 0.01, clip: 'auto', clipThreshold: 1, clipPercentile: 10 }, [4, 1, 3, 2]))
      .toEqual({ lr: 0.005, clip: 'auto', clipThreshold: 1, clipPercentile: 5 })
  })

  it('leaves the tunables it was given unchanged', () => {
    const current = { lr: 0.01, clip: 'none' as const, clipThreshold: 1, clipPercentile: 10 }
    tunablesAfterDivergence(current, [4])
    expect(current).toEqual({ lr: 0.01, clip: 'none', clipThreshold: 1, clipPercentile: 10 })
  })
})

describe('stepDivergence', () => {
  const healthy = { finite: true, spike: false, loss: 0.25, preClipNorm: 2 }

  it('passes a finite step below the spike limit', () => {
    expect(stepDivergence(healthy, 0.1, 3)).toBeNull()
  })

  it('names a non-finite loss, a non-finite gradient and a spike, at the step it happened', () => {
    expect(stepDivergence({ ...healthy, finite: false, loss: NaN, preClipNorm: NaN }, 0.1, 3))
      .toEqual({ step: 3, norm: NaN, reason: 'non-finite loss (loss NaN, pre-clip norm NaN)' })
    expect(stepDivergence({ ...healthy, finite: false, preClipNorm: Infinity }, 0.1, 4))
      .toEqual({ step: 4, norm: Infinity, reason: 'non-finite gradient (loss 0.25, pre-clip norm Infinity)' })
    expect(stepDivergence({ ...healthy, spike: true, loss: 2500 }, 2, 5))
      .toEqual({ step: 5, norm: 2, reason: 'loss 2500 above 2000 (1000 × the best step loss 2.000, at least 1)' })
  })
})

describe('divergenceError', () => {
  const end = { epoch: 2, divergence: { step: 3, reason: 'non-finite loss', norm: NaN }, stepNorms: [1, 2], recoveries: 4, bestEpoch: 1 }

  it('is RUN_DIVERGED with the place, the step norms, and the recoveries spent when recovery was on', () => {
    const error = divergenceError(7, { onDiverge: 'recover', maxRecoveries: 4 }, end)
    expect(error.code).toBe('RUN_DIVERGED')
    expect(error.message).toBe('Run 7 diverged at epoch 2, step 3: non-finite loss. It had already recovered 4 times, the most its settings allow (4).')
    expect(error.details).toEqual({ epoch: 2, step: 3, reason: 'non-finite loss', stepNorms: [1, 2], divergedNorm: null, settings: ['lr', 'clip', 'onDiverge'] })
    // the hint names those settings for each host to phrase: flags in the CLI, labels in the app
    expect(error.hint).toBe('The best checkpoint (epoch 1) is kept. Try a lower {lr}, set {clip} to norm, or set {onDiverge} to recover.')
    expect(divergenceError(7, { onDiverge: 'stop', maxRecoveries: 4 }, end).message).toBe('Run 7 diverged at epoch 2, step 3: non-finite loss.')
  })
})
