import { describe, expect, it } from 'vitest'
import { continueTimes, daysInMonth, parseStep } from '../../../../src/core/data/calendar'
import type { ClipcastError } from '../../../../src/shared/errors'
import { flagName, labelName, phraseHint } from '../../../../src/shared/setting-hints'

const ms = (iso: string) => Date.parse(iso)
const iso = (times: number[]) => times.map((t) => new Date(t).toISOString())

describe('continueTimes', () => {
  it('continues an hourly series hour by hour across midnight and a year end', () => {
    const history = [ms('2010-12-31T21:00:00Z'), ms('2010-12-31T22:00:00Z')]
    expect(iso(continueTimes(history, 'hourly', 3))).toEqual(['2010-12-31T23:00:00.000Z', '2011-01-01T00:00:00.000Z', '2011-01-01T01:00:00.000Z'])
  })

  it('continues a daily series through a leap day', () => {
    expect(iso(continueTimes([ms('2024-02-27T00:00:00Z'), ms('2024-02-28T00:00:00Z')], 'daily', 3))).toEqual([
      '2024-02-29T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-03-02T00:00:00.000Z',
    ])
  })

  it('keeps a month-start series on the 1st of each calendar month', () => {
    const history = [ms('2020-03-01T00:00:00Z'), ms('2020-04-01T00:00:00Z')]
    expect(iso(continueTimes(history, 'monthly', 10))).toEqual([
      '2020-05-01', '2020-06-01', '2020-07-01', '2020-08-01', '2020-09-01', '2020-10-01', '2020-11-01', '2020-12-01', '2021-01-01', '2021-02-01',
    ].map((d) => `${d}T00:00:00.000Z`))
  })

  it('keeps a month-end series on month ends: Jan 31 → Feb 29 (leap) → Mar 31 → Apr 30', () => {
    const history = [ms('2023-12-31T00:00:00Z'), ms('2024-01-31T00:00:00Z')]
    expect(iso(continueTimes(history, 'monthly', 3))).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z'])
    expect(iso(continueTimes([ms('2023-01-31T00:00:00Z')], 'monthly', 1))).toEqual(['2023-02-28T00:00:00.000Z'])
  })

  it('keeps a series on the 30th on the 30th after February clamped it', () => {
    const history = [ms('2024-01-30T06:00:00Z'), ms('2024-02-29T06:00:00Z')]
    expect(iso(continueTimes(history, 'monthly', 2))).toEqual(['2024-03-30T06:00:00.000Z', '2024-04-30T06:00:00.000Z'])
  })

  it('steps quarterly and yearly series by calendar quarters and years', () => {
    expect(iso(continueTimes([ms('2023-10-01T00:00:00Z')], 'quarterly', 2))).toEqual(['2024-01-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z'])
    expect(iso(continueTimes([ms('2023-02-28T00:00:00Z'), ms('2024-02-29T00:00:00Z')], 'yearly', 2))).toEqual(['2025-02-28T00:00:00.000Z', '2026-02-28T00:00:00.000Z'])
  })

  it('continues an `every N ms` series by its step', () => {
    expect(continueTimes([0, 900_000], 'every 900000ms', 2)).toEqual([1_800_000, 2_700_000])
  })

  it('refuses an irregular series without a step, with IRREGULAR_FREQUENCY', () => {
    expect(() => continueTimes([0, 5, 17], 'irregular', 2)).toThrow(expect.objectContaining({ code: 'IRREGULAR_FREQUENCY' }))
  })

  it('says in the app to choose the Frequency on import, not a flag it has no field for', () => {
    let error: ClipcastError | undefined
    try {
      continueTimes([0, 5, 17], 'irregular', 2)
    } catch (caught) {
      error = caught as ClipcastError
    }
    expect(phraseHint(error!, labelName)).toMatch(/^Import the file again with Frequency chosen/)
    expect(phraseHint(error!, flagName)).toMatch(/^Import the file again with the frequency chosen/)
  })

  it('continues an irregular series by an explicit step, fixed or calendar', () => {
    const history = [ms('2024-01-31T10:00:00Z'), ms('2024-01-31T10:07:00Z')]
    expect(iso(continueTimes(history, 'irregular', 2, '15m'))).toEqual(['2024-01-31T10:22:00.000Z', '2024-01-31T10:37:00.000Z'])
    expect(iso(continueTimes(history, 'irregular', 1, '1h'))).toEqual(['2024-01-31T11:07:00.000Z'])
    expect(iso(continueTimes([ms('2024-01-31T00:00:00Z')], 'irregular', 2, '1M'))).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z'])
  })

  it('lets an explicit step override a regular frequency', () => {
    expect(continueTimes([0], 'hourly', 2, '30m')).toEqual([1_800_000, 3_600_000])
  })
})

describe('parseStep', () => {
  it('reads fixed and calendar units, m as minutes and M as months', () => {
    expect(parseStep('15m')).toEqual({ kind: 'fixed', ms: 900_000 })
    expect(parseStep('1h')).toEqual({ kind: 'fixed', ms: 3_600_000 })
    expect(parseStep('2d')).toEqual({ kind: 'fixed', ms: 172_800_000 })
    expect(parseStep('1M')).toEqual({ kind: 'months', months: 1 })
    expect(parseStep('1Q')).toEqual({ kind: 'months', months: 3 })
    expect(parseStep('1y')).toEqual({ kind: 'months', months: 12 })
  })

  it('refuses anything else with BAD_REQUEST', () => {
    for (const text of ['', 'h', '0h', '-1h', '1.5h', '1 hour', '1x']) expect(() => parseStep(text)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
  })
})

describe('daysInMonth', () => {
  it('knows leap years', () => {
    expect(daysInMonth(2024, 1)).toBe(29)
    expect(daysInMonth(2023, 1)).toBe(28)
    expect(daysInMonth(1900, 1)).toBe(28)
    expect(daysInMonth(2000, 1)).toBe(29)
    expect(daysInMonth(2023, 11)).toBe(31)
  })
})
