import type { Frequency } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { continueBusinessDays } from './business-days'

/**
 * Timestamps after the end of a series, by calendar arithmetic in UTC: fixed steps for
 * hours, days, weeks (UTC has no DST), calendar months for monthly, quarterly and yearly
 * series, so months stay months — a month-end series stays on month ends (Jan 31 →
 * Feb 28/29 → Mar 31), a series on the 1st stays on the 1st, and one on the 30th goes
 * Jan 30 → Feb 28/29 → Mar 30. Business days step over Saturdays and Sundays.
 */
export type Step = { kind: 'fixed'; ms: number } | { kind: 'months'; months: number } | { kind: 'business-days'; days: number }

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const UNIT_MONTHS: Record<string, number> = { M: 1, Q: 3, y: 12 }

/**
 * Parses an explicit step: a positive integer and a unit, `ms s m h d w` (fixed) or
 * `M Q y` (calendar months, quarters, years). `m` is minutes, `M` months, as in pandas.
 */
export function parseStep(text: string): Step {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d|w|M|Q|y)\s*$/.exec(text)
  const amount = Number(match?.[1])
  const unit = match?.[2]
  if (!match || unit === undefined || !Number.isSafeInteger(amount) || amount < 1) {
    // only `clipcast forecast --step` passes a step as text, so its hint may name the flag
    throw new ClipcastError('BAD_REQUEST', `"${text}" is not a time step.`, {
      hint: 'Give a positive whole number and a unit: ms, s, m (minutes), h, d, w, M (months), Q (quarters) or y, e.g. --step 1h, --step 15m, --step 1M.',
    })
  }
  const months = UNIT_MONTHS[unit]
  if (months !== undefined) return { kind: 'months', months: amount * months }
  return { kind: 'fixed', ms: amount * UNIT_MS[unit]! }
}

/** The step of a regular frequency; null for an irregular series. */
export function stepForFrequency(frequency: Frequency): Step | null {
  switch (frequency) {
    case 'secondly':
      return { kind: 'fixed', ms: 1000 }
    case 'minutely':
      return { kind: 'fixed', ms: 60_000 }
    case 'hourly':
      return { kind: 'fixed', ms: 3_600_000 }
    case 'daily':
      return { kind: 'fixed', ms: 86_400_000 }
    case 'business-daily':
      return { kind: 'business-days', days: 1 }
    case 'weekly':
      return { kind: 'fixed', ms: 604_800_000 }
    case 'monthly':
      return { kind: 'months', months: 1 }
    case 'quarterly':
      return { kind: 'months', months: 3 }
    case 'yearly':
      return { kind: 'months', months: 12 }
    case 'irregular':
      return null
    default: {
      const ms = Number(/^every (\d+(?:\.\d+)?)ms$/.exec(frequency)?.[1])
      return ms > 0 ? { kind: 'fixed', ms } : null
    }
  }
}

/**
 * The `count` timestamps (UTC epoch ms) that follow `history` (the series' timestamps, in
 * order; only the last 12 are read) at the series' frequency, or at an explicit step, which
 * wins. An irregular series without a step is refused with IRREGULAR_FREQUENCY.
 */
export function continueTimes(history: ArrayLike<number>, frequency: Frequency, count: number, step?: Step | string): number[] {
  if (history.length === 0) throw new RangeError('continueTimes: the series has no timestamps')
  const chosen = typeof step === 'string' ? parseStep(step) : (step ?? stepForFrequency(frequency))
  if (chosen === null) {
    throw new ClipcastError('IRREGULAR_FREQUENCY', 'The dataset\'s timestamps are irregular, so the forecast\'s timestamps cannot be continued from them.', {
      hint: 'Import the file again with {frequency} chosen (e.g. hourly), so the forecast continues at that step; clipcast forecast also takes an explicit step (--step 1h, 15m or 1M).',
      details: { settings: ['frequency'] },
    })
  }
  const last = history[history.length - 1]!
  if (chosen.kind === 'fixed') return Array.from({ length: count }, (_, k) => last + (k + 1) * chosen.ms)
  if (chosen.kind === 'business-days') return continueBusinessDays(last, count, chosen.days)
  const recent = Array.from({ length: Math.min(12, history.length) }, (_, i) => new Date(history[history.length - 1 - i]!))
  // month-end series: every recent timestamp is the last day of its month
  const monthEnd = recent.every((d) => d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth()))
  // the day a series means, even where a short month clamped it (30 → Feb 28)
  const anchorDay = Math.max(...recent.map((d) => d.getUTCDate()))
  const base = new Date(last)
  const timeOfDayMs = last - Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate())
  return Array.from({ length: count }, (_, k) => {
    const monthIndex = base.getUTCFullYear() * 12 + base.getUTCMonth() + (k + 1) * chosen.months
    const year = Math.floor(monthIndex / 12)
    const month = monthIndex - year * 12
    const days = daysInMonth(year, month)
    const day = monthEnd ? days : Math.min(anchorDay, days)
    return Date.UTC(year, month, day) + timeOfDayMs
  })
}

/** Days in a month (0-based month), Gregorian, UTC. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
}
