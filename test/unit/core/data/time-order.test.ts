import { describe, expect, it } from 'vitest'
import { gather, orderByTime } from '../../../../src/core/data/time-order'

describe('orderByTime', () => {
  it('leaves ordered distinct times alone', () => {
    expect(orderByTime(Float64Array.of(1, 2, 3))).toEqual({ take: undefined, unsorted: 0, duplicates: 0 })
  })

  it('sorts and keeps the first row (in file order) of a repeated time', () => {
    const times = Float64Array.of(30, 10, 20, 10, 40)
    const order = orderByTime(times)
    expect(order.unsorted).toBe(2)
    expect(order.duplicates).toBe(1)
    expect(Array.from(order.take!)).toEqual([1, 2, 0, 4])
    expect(order.firstDuplicate).toEqual({ time: 10, row: 3 })
    expect(Array.from(gather(Float64Array.of(0.3, 0.1, 0.2, 9.9, 0.4), order.take!))).toEqual([0.1, 0.2, 0.3, 0.4])
  })
})
