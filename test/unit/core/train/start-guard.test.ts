import { describe, expect, it } from 'vitest'
import { beatsStart } from '../../../../src/core/train/start-guard'

describe('beatsStart', () => {
  it('keeps a trained epoch only when it is better by more than one standard error of the block means', () => {
    // horizon 2: five blocks of two windows
    expect(beatsStart([-1, -1, -1, -1, -1, -1, -1, -1, -1, -1], 2)).toBe(true)
    // block means −1, 1, −1, 1, −1: mean −0.2, standard error √1.2 / √5 ≈ 0.49
    expect(beatsStart([-1, -1, 1, 1, -1, -1, 1, 1, -1, -1], 2)).toBe(false)
    // block means −0.5, −0.3, −0.5, −0.3, −0.4: mean −0.4, standard error 0.1 / √5 ≈ 0.045
    expect(beatsStart([-0.5, -0.5, -0.3, -0.3, -0.5, -0.5, -0.3, -0.3, -0.4, -0.4], 2)).toBe(true)
    // no better on average
    expect(beatsStart([0, 0, 0, 0], 2)).toBe(false)
  })

  it('keeps the start when the windows hold fewer than two horizons', () => {
    expect(beatsStart(new Array(11).fill(-1), 12)).toBe(false)
  })
})
