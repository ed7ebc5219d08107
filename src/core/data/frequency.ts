import type { Frequency } from '../../shared/api'
import { percentileOfSorted } from '../stats'
import { businessStep, looksLikeBusinessDays } from './business-days'
import { daysInMonth, formatTime } from './timestamps'

export interface TimeIrregularity {
  count: number
  /** The first offending step: the last time before it and the time after it. */
  first?: { from: number; to: number; missingSteps?: number }
}

export interface FrequencyReport {
  frequency: Frequency
  /** Step in ms for fixed frequencies; calendar frequencies give months instead, business days neither. */
  stepMs?: number
  stepMonths?: number
  gaps: TimeIrregularity
  irregular: TimeIrregularity
}

const NAMED_STEPS: ReadonlyArray<[number, Frequency]> = [
  [1000, 'secondly'],
  [60_000, 'minutely'],
  [3_600_000, 'hourly'],
  [86_400_000, 'daily'],
  [604_800_000, 'weekly'],
]
const CALENDAR_STEPS: ReadonlyArray<[number, Frequency]> = [
  [1, 'monthly'],
  [3, 'quarterly'],
  [12, 'yearly'],
]
/** More than this share of off-grid steps makes the series irregular rather than a grid with a few stray points. */
const IRREGULAR_SHARE = 0.1

/**
 * Infers the sampling frequency of sorted, distinct UTC times: the median step, except that
 * series aligned to calendar months (same day and time of month, or month ends) are measured
 * in months, because a month is 28–31 days and a year 365–366. Steps that are whole multiples
 * of the frequency are gaps; other steps are irregular. Daily rows on weekdays only, skipping
 * the weekends, are business days, whose gaps count missing weekdays (business-days.ts).
 */
export function inferFrequency(times: Float64Array): FrequencyReport {
  const none: TimeIrregularity = { count: 0 }
  if (times.length < 2) return { frequency: 'irregular', gaps: none, irregular: none }
  const steps = new Float64Array(times.length - 1)
  for (let i = 1; i < times.length; i++) steps[i - 1] = times[i]! - times[i - 1]!
  const median = medianOf(steps)
  if (median >= 28 * 86_400_000) {
    const months = calendarMonths(times)
    if (months !== undefined) {
      const monthSteps = new Float64Array(months.length - 1)
      for (let i = 1; i < months.length; i++) monthSteps[i - 1] = months[i]! - months[i - 1]!
      const stepMonths = medianOf(monthSteps)
      const named = CALENDAR_STEPS.find(([m]) => m === stepMonths)
      if (named !== undefined) return { ...classify(times, monthSteps, stepMonths, named[1]), stepMonths }
    }
  }
  if (median === 86_400_000 && looksLikeBusinessDays(times)) return classifyBusinessDays(times)
  const named = NAMED_STEPS.find(([ms]) => ms === median)
  return { ...classify(times, steps, median, named?.[1] ?? `every ${median}ms`), stepMs: median }
}

function classify(times: Float64Array, steps: Float64Array, step: number, frequency: Frequency): Omit<FrequencyReport, 'stepMs' | 'stepMonths'> {
  const gaps: TimeIrregularity = { count: 0 }
  const irregular: TimeIrregularity = { count: 0 }
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!
    if (s === step) continue
    const from = times[i]!
    const to = times[i + 1]!
    if (s > step && s % step === 0) {
      if (gaps.count++ === 0) gaps.first = { from, to, missingSteps: s / step - 1 }
    } else if (irregular.count++ === 0) irregular.first = { from, to }
  }
  return { frequency: irregular.count > IRREGULAR_SHARE * steps.length ? 'irregular' : frequency, gaps, irregular }
}

function classifyBusinessDays(times: Float64Array): FrequencyReport {
  const gaps: TimeIrregularity = { count: 0 }
  const irregular: TimeIrregularity = { count: 0 }
  for (let i = 1; i < times.length; i++) {
    const from = times[i - 1]!
    const to = times[i]!
    const step = businessStep(from, to)
    if (step.kind === 'gap' && gaps.count++ === 0) gaps.first = { from, to, missingSteps: step.missing }
    else if (step.kind === 'irregular' && irregular.count++ === 0) irregular.first = { from, to }
  }
  return { frequency: irregular.count > IRREGULAR_SHARE * (times.length - 1) ? 'irregular' : 'business-daily', gaps, irregular }
}

/** Month numbers (year·12 + month) when every time sits at the same day-and-time of its month, or every time at a month end; else undefined. */
function calendarMonths(times: Float64Array): Float64Array | undefined {
  const months = new Float64Array(times.length)
  let sameDay = true
  let allMonthEnds = true
  let firstDay = -1
  let firstTimeOfDay = -1
  for (let i = 0; i < times.length; i++) {
    const d = new Date(times[i]!)
    const year = d.getUTCFullYear()
    const month = d.getUTCMonth() + 1
    const day = d.getUTCDate()
    const timeOfDay = times[i]! - Date.UTC(year, month - 1, day)
    if (i === 0) {
      firstDay = day
      firstTimeOfDay = timeOfDay
    }
    if (timeOfDay !== firstTimeOfDay) return undefined
    if (day !== firstDay) sameDay = false
    if (day !== daysInMonth(year, month)) allMonthEnds = false
    if (!sameDay && !allMonthEnds) return undefined
    months[i] = year * 12 + month - 1
  }
  return months
}

/** The lower median: always one of the steps, so a grid with gaps still has a step that divides them. */
function medianOf(values: Float64Array): number {
  let uniform = true
  for (let i = 1; i < values.length && uniform; i++) uniform = values[i] === values[0]
  // a perfectly regular series (the common case) needs no sort of a million steps
  if (uniform) return values[0]!
  return percentileOfSorted(Float64Array.from(values).sort(), 50, 'lower')
}

export function describeGap(gap: NonNullable<TimeIrregularity['first']>): string {
  return `${formatTime(gap.from)} → ${formatTime(gap.to)}`
}
