import { describe, expect, it } from 'vitest'
import { fromWindowFrame, toWindowFrame } from '../../../../src/core/data/window-frame'

// two windows of lookback 3, two variables (column 1 is the target), horizon 2
const shape = { batch: 2, lookback: 3, variables: 2, horizon: 2, targetColumns: [1] }
const windows = () => Float32Array.from([
  1, 10, 2, 11, 3, 13, // window 0: rows (v0, v1)
  5, -1, 5, 1, 5, 3, // window 1
])
const futures = () => Float32Array.from([14, 16, 4, 6])

describe('toWindowFrame', () => {
  it('puts each window and variable at its last value, targets included', () => {
    const inputs = windows()
    const targets = futures()
    const offsets = toWindowFrame(inputs, targets, shape, { location: 'last', scale: 'train' })
    expect(Array.from(inputs)).toEqual([-2, -3, -1, -2, 0, 0, 0, -4, 0, -2, 0, 0])
    expect(Array.from(targets)).toEqual([1, 3, 1, 3])
    expect(Array.from(offsets.locations)).toEqual([13, 3])
    expect(Array.from(offsets.scales)).toEqual([1, 1])
  })

  it('puts each window at its mean with location mean', () => {
    const inputs = windows()
    const offsets = toWindowFrame(inputs, null, shape, { location: 'mean', scale: 'train' })
    expect(offsets.locations[0]).toBeCloseTo(34 / 3, 5)
    expect(offsets.locations[1]).toBe(1)
    expect(inputs[1]).toBeCloseTo(10 - 34 / 3, 5)
    expect(inputs[7]).toBeCloseTo(-2, 6)
  })

  it('divides by the window std, floored, with scale window', () => {
    const inputs = windows()
    const targets = futures()
    const offsets = toWindowFrame(inputs, targets, shape, { location: 'last', scale: 'window' })
    // window 0 target column 10, 11, 13: population std √(14/9); window 1: -1, 1, 3: √(8/3)
    expect(offsets.scales[0]).toBeCloseTo(Math.sqrt(14 / 9), 6)
    expect(offsets.scales[1]).toBeCloseTo(Math.sqrt(8 / 3), 6)
    expect(targets[0]).toBeCloseTo(1 / Math.sqrt(14 / 9), 5)
    // variable 0 of window 1 is flat: the floor keeps it finite
    expect(Array.from(inputs.subarray(6, 12)).filter((_, i) => i % 2 === 0)).toEqual([0, 0, 0])
  })

  it('round-trips: predictions of the normalised targets map back to the targets', () => {
    for (const frame of [{ location: 'last', scale: 'train' }, { location: 'mean', scale: 'window' }] as const) {
      const targets = futures()
      const offsets = toWindowFrame(windows(), targets, shape, frame)
      const back = fromWindowFrame(targets, offsets, shape.horizon, 1)
      Array.from(futures()).forEach((value, i) => expect(back[i]).toBeCloseTo(value, 5))
    }
  })

  it('maps a zero output to the naive forecast with location last', () => {
    const offsets = toWindowFrame(windows(), null, shape, { location: 'last', scale: 'window' })
    expect(Array.from(fromWindowFrame(new Float32Array(4), offsets, 2, 1))).toEqual([13, 13, 3, 3])
  })
})
