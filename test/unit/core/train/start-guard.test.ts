import { describe, expect, it } from 'vitest'
import { beatsStart, selectionMargin } from '../../../../src/core/train/start-guard'

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

  it('asks the best of many epochs for √(2 ln E) standard errors', () => {
    expect(selectionMargin(1)).toBe(1)
    expect(selectionMargin(2)).toBeCloseTo(Math.sqrt(2 * Math.log(2)), 12)
    expect(selectionMargin(100)).toBeCloseTo(3.034854, 6)
    // block means −1, 0, −1, 0, −1: mean −0.6, standard error √0.3 / √5 ≈ 0.245, so 2.45 standard errors
    const differences = [-1, -1, 0, 0, -1, -1, 0, 0, -1, -1]
    expect(beatsStart(differences, 2)).toBe(true)
    expect(beatsStart(differences, 2, 10)).toBe(true) // margin 2.15
    expect(beatsStart(differences, 2, 30)).toBe(false) // margin 2.61
  })

  it('keeps the start when the windows hold fewer than two horizons', () => {
    expect(beatsStart(new Array(11).fill(-1), 12)).toBe(false)
  })
})
