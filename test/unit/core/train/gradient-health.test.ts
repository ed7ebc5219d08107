import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { diagnoseGradients, gateShares, suggestClipping } from '../../../../src/core/train/gradient-health'
import type { EpochRecord } from '../../../../src/shared/api'
import type { RunConfig } from '../../../../src/shared/run-config'

/** Norms recorded from real runs on the sample dataset (each file's `about` says how). */
function fixture(name: string): { config: Pick<RunConfig, 'clip' | 'clipThreshold' | 'clipPercentile'>; epochs: EpochRecord[] } {
  return JSON.parse(readFileSync(new URL(`../../../fixtures/gradient-norms/${name}.json`, import.meta.url), 'utf8'))
}

const epoch = (over: Partial<EpochRecord>): EpochRecord => ({
  epoch: 1, trainLoss: 1, valLoss: 1, gradNorm: { mean: 1, p50: 1, p95: 1, max: 1 }, clippedFraction: 0, lr: 0.01, clipThreshold: 1, seconds: 1, ...over,
})

describe('gateShares', () => {
  it('shares the squared norm among the gates and the head, largest first', () => {
    // squares 9, 16, 0, 0 and 0 for the head: f carries 16/25, i 9/25; the layer total is not a part
    const shares = gateShares({ layer0: 5, 'layer0/i': 3, 'layer0/f': 4, 'layer0/g': 0, 'layer0/o': 0, head: 0 })
    expect(shares.slice(0, 2)).toEqual([
      { key: 'layer0/f', label: 'gate f of layer 0', share: 0.64 },
      { key: 'layer0/i', label: 'gate i of layer 0', share: 0.36 },
    ])
  })
})

describe('diagnoseGradients', () => {
  it('says where the norm sits and that clipping sat below the typical norm (overclipped run)', () => {
    const { config, epochs } = fixture('overclipped')
    expect(diagnoseGradients(epochs, config)).toBe(
      'The head carries 92% of the gradient norm in epoch 1; 95% of steps were clipped, so the threshold sits far below the typical norm and slows learning.')
  })

  it('says when clipping never acted', () => {
    const { config, epochs } = fixture('never-clipped')
    expect(diagnoseGradients(epochs, config)).toBe('Gate g of layer 0 carries 70% of the gradient norm in epoch 1; no step reached the threshold: clipping never acted.')
  })

  it('points at bursts when clipping is off', () => {
    const { config, epochs } = fixture('exploding-unclipped')
    expect(diagnoseGradients(epochs, config)).toBe(
      'The head carries 73% of the gradient norm in epoch 1; clipping is off and step norms reached 59× their median: gradients explode in bursts, so clip at a suggested threshold.')
  })

  it('says what a moderate threshold did', () => {
    const { config, epochs } = fixture('clipped-bursts')
    expect(diagnoseGradients(epochs, config)).toBe(
      'The head carries 93% of the gradient norm in epoch 1; 37% of steps were clipped at 0.5 (median norm 0.368), so clipping trims the bursts and leaves typical steps alone.')
  })

  it('takes the epoch whose mean norm peaked, weighting clipped shares by steps', () => {
    const epochs = [
      epoch({ epoch: 1, gradNorm: { mean: 1, p50: 1, p95: 1, max: 1 }, layerNorms: { 'layer0/i': 1, head: 1 }, clippedFraction: 1, stepNorms: [2] }),
      epoch({ epoch: 2, gradNorm: { mean: 3, p50: 3, p95: 3, max: 3 }, layerNorms: { 'layer0/o': 3, head: 1 }, clippedFraction: 0.5, stepNorms: [3, 0.5, 3, 0.5] }),
    ]
    // 1·1 + 0.5·4 = 3 of 5 steps clipped; o carries 9/10 in epoch 2
    expect(diagnoseGradients(epochs, { clip: 'norm', clipPercentile: 10 })).toBe(
      'Gate o of layer 0 carries 90% of the gradient norm in epoch 2; 60% of steps were clipped at 1 (median norm 2), so clipping trims the bursts and leaves typical steps alone.')
  })

  it('has a sentence for a run without epochs', () => {
    expect(diagnoseGradients([], { clip: 'norm', clipPercentile: 10 })).toMatch(/No epoch has finished/)
  })
})

describe('suggestClipping', () => {
  it('suggests AutoClip p10 and a fixed norm from the healthy steps of an overclipped run', () => {
    const [auto, fixed] = suggestClipping(1, fixture('overclipped').epochs)
    expect(auto).toMatchObject({ mode: 'auto', percentile: 10, config: { clip: 'auto', clipPercentile: 10 } })
    expect(auto!.threshold).toBeCloseTo(0.12179, 4)
    expect(auto!.clippedShare).toBeCloseTo(311 / 372, 10)
    expect(auto!.why).toBe("AutoClip clips each step at the 10th percentile of the global norms so far; replayed on this run's 372 step norms it ends at 0.122 and would have clipped 84% of the steps.")
    expect(fixed).toMatchObject({ mode: 'norm', percentile: 90 })
    expect(fixed!.threshold).toBeCloseTo(0.41912, 4)
    expect(fixed!.config).toEqual({ clip: 'norm', clipThreshold: fixed!.threshold })
    expect(fixed!.clippedShare).toBeCloseTo(38 / 372, 10)
    expect(fixed!.why).toBe("A global norm of 0.419, the 90th percentile of the 372 healthy steps (at most 10× the median norm 0.239), would have clipped 10% of this run's steps.")
  })

  it('leaves the bursts out of the healthy steps of an exploding run', () => {
    const [, fixed] = suggestClipping(1, fixture('exploding-unclipped').epochs)
    expect(fixed!.threshold).toBeCloseTo(0.29246, 4)
    expect(fixed!.why).toBe("A global norm of 0.292, the 90th percentile of the 366 healthy steps (at most 10× the median norm 0.151; 6 bursts above), would have clipped 12% of this run's steps.")
  })

  it('pins the fixed threshold by hand on a tiny run', () => {
    // median 2.5; 100 > 10·2.5 is a burst; healthy [1, 2, 3]: p90 at position 1.8 → 2.8; clips 3 and 100
    const [auto, fixed] = suggestClipping(1, [epoch({ stepNorms: [2, 1, 100, 3] })])
    expect(fixed!.threshold).toBeCloseTo(2.8, 10)
    expect(fixed!.clippedShare).toBe(0.5)
    // AutoClip replayed: thresholds 2, 1.1, 1.2, 1.3 → steps 3 (100 > 1.2) and 4 (3 > 1.3) clipped
    expect(auto!.threshold).toBeCloseTo(1.3, 6)
    expect(auto!.clippedShare).toBe(0.5)
  })

  it('refuses a run without recorded step norms with NO_STEP_NORMS', () => {
    expect(() => suggestClipping(7, [epoch({})])).toThrow(expect.objectContaining({ code: 'NO_STEP_NORMS' }))
  })
})

describe('a diverged run', () => {
  // recorded: the preset's unclipped run (sgd, lr 30, lookback 168) diverged at its third step
  const divergence = { epoch: 1, step: 3, stepNorms: [0.7149092503866372, 7.29306522217719], divergedNorm: 62.58943105758107 }

  it('is diagnosed from the steps up to the explosion', () => {
    expect(diagnoseGradients([], { clip: 'none', clipPercentile: 10 }, divergence)).toBe(
      'The run diverged at epoch 1, step 3 at a pre-clip norm of 62.6 (15.6× the median of the 2 steps before): clipping was off, so nothing held that step back.')
    expect(diagnoseGradients([], { clip: 'norm', clipPercentile: 10 }, { ...divergence, divergedNorm: null })).toBe(
      'The run diverged at epoch 1, step 3 with a non-finite gradient: clipping did not hold it back, so lower the learning rate or the threshold.')
  })

  it('gets suggestions in which the diverging step counts as a burst, never as healthy', () => {
    const [auto, fixed] = suggestClipping(1, [], divergence)
    // healthy [0.715, 7.29]: p90 at position 0.9 → 0.715 + 0.9·6.578 = 6.635; it clips 7.29 and 62.6
    expect(fixed!.threshold).toBeCloseTo(0.7149092503866372 + 0.9 * (7.29306522217719 - 0.7149092503866372), 10)
    expect(fixed!.clippedShare).toBeCloseTo(2 / 3, 10)
    expect(fixed!.why).toContain('the 2 healthy steps (at most 10× the median norm 4; 1 burst above)')
    // AutoClip: thresholds 0.715, 1.37, 2.03 → steps 2 and 3 clipped
    expect(auto!.clippedShare).toBeCloseTo(2 / 3, 10)
  })
})
