import { describe, expect, it } from 'vitest'
import { inferFrequency } from '../../../../src/core/data/frequency'

const series = (...dates: Array<[number, number, number, number?]>) => Float64Array.from(dates.map(([y, m, d, h = 0]) => Date.UTC(y, m - 1, d, h)))
const every = (stepMs: number, n: number, start = Date.UTC(2024, 0, 1)) => Float64Array.from({ length: n }, (_, i) => start + i * stepMs)

describe('inferFrequency', () => {
  it('names fixed steps from seconds to weeks and gives other steps in ms', () => {
    expect(inferFrequency(every(1000, 10)).frequency).toBe('secondly')
    expect(inferFrequency(every(60_000, 10)).frequency).toBe('minutely')
    expect(inferFrequency(every(3_600_000, 10)).frequency).toBe('hourly')
    expect(inferFrequency(every(86_400_000, 10)).frequency).toBe('daily')
    expect(inferFrequency(every(7 * 86_400_000, 10)).frequency).toBe('weekly')
    expect(inferFrequency(every(900_000, 10)).frequency).toBe('every 900000ms')
  })

  it('recognises months, quarters and years by calendar arithmetic, including month ends', () => {
    expect(inferFrequency(series([2024, 1, 1], [2024, 2, 1], [2024, 3, 1], [2024, 4, 1])).frequency).toBe('monthly')
    expect(inferFrequency(series([2024, 1, 31], [2024, 2, 29], [2024, 3, 31], [2024, 4, 30], [2024, 5, 31])).frequency).toBe('monthly')
    expect(inferFrequency(series([2023, 1, 15], [2023, 4, 15], [2023, 7, 15], [2023, 10, 15])).frequency).toBe('quarterly')
    expect(inferFrequency(series([2020, 1, 1], [2021, 1, 1], [2022, 1, 1], [2023, 1, 1])).frequency).toBe('yearly')
    const report = inferFrequency(series([2020, 1, 1], [2021, 1, 1], [2022, 1, 1], [2023, 1, 1]))
    expect(report.gaps.count).toBe(0)
    expect(report.irregular.count).toBe(0)
  })

  it('counts gaps (whole missing steps) and reports the first one', () => {
    const times = series([2024, 1, 1, 0], [2024, 1, 1, 1], [2024, 1, 1, 4], [2024, 1, 1, 5], [2024, 1, 1, 7])
    const report = inferFrequency(times)
    expect(report.frequency).toBe('hourly')
    expect(report.gaps.count).toBe(2)
    expect(report.gaps.first).toEqual({ from: Date.UTC(2024, 0, 1, 1), to: Date.UTC(2024, 0, 1, 4), missingSteps: 2 })
    const monthly = inferFrequency(series([1958, 3, 1], [1958, 4, 1], [1958, 5, 1], [1958, 7, 1], [1958, 8, 1]))
    expect(monthly.frequency).toBe('monthly')
    expect(monthly.gaps.count).toBe(1)
  })

  it('calls a series irregular when many steps are off the grid', () => {
    const times = Float64Array.of(0, 1000, 2500, 2600, 7000, 7100, 9000)
    const report = inferFrequency(times)
    expect(report.frequency).toBe('irregular')
    expect(report.irregular.count).toBeGreaterThan(0)
  })

  it('keeps a grid with one stray point and flags it', () => {
    const times = every(3_600_000, 40)
    times[20] = times[20]! + 1000
    const report = inferFrequency(times)
    expect(report.frequency).toBe('hourly')
    expect(report.irregular.count).toBe(2)
  })
})
