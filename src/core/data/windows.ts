import type { Frequency } from '../../shared/api'
import { percentileOfSorted } from '../stats'
import { businessStep, MAX_BUSINESS_STEP_DAYS } from './business-days'
import { toWallClock } from './time-zone'

/**
 * Sliding windows over a time-indexed series. A window starting at row `s` reads inputs from
 * rows [s, s + lookback) and predicts targets at rows [s + lookback, s + lookback + horizon).
 * Windows are only index arithmetic here: the values are read lazily, batch by batch.
 */
export interface WindowOptions {
  lookback: number
  horizon: number
  /** The dataset's inferred frequency; a step longer than it is a gap. */
  frequency?: Frequency
  /** Overrides the step derived from `frequency` (milliseconds). */
  stepMs?: number
  /** The dataset's IANA zone: business days are counted on its calendar. */
  timeZone?: string
  /** 1 where any target value of that row is missing: windows whose targets touch such a row are dropped. */
  targetMissing?: Uint8Array
  /** 1 for a row that holds no value at all (a gap filled with missing rows): no window may contain it. */
  rowBreak?: Uint8Array
}

export interface Windows {
  /** Row index of each window's first input row, ascending. */
  starts: Int32Array
  /** Windows that would have spanned a timestamp gap (or a non-increasing timestamp). */
  droppedForGaps: number
  /** Windows whose target rows hold a missing value. */
  droppedForMissingTargets: number
  /** The longest step that is not a gap (milliseconds). */
  maxStepMs: number
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * The longest step between consecutive rows that still counts as regular. Calendar units use
 * their longest length (a 31-day month is not a gap); `irregular` returns null.
 */
export function maxRegularStepMs(frequency: Frequency): number | null {
  switch (frequency) {
    case 'secondly':
      return 1000
    case 'minutely':
      return 60_000
    case 'hourly':
      return HOUR
    case 'daily':
      return DAY
    case 'business-daily':
      return MAX_BUSINESS_STEP_DAYS * DAY
    case 'weekly':
      return 7 * DAY
    case 'monthly':
      return 31 * DAY
    case 'quarterly':
      return 92 * DAY
    case 'yearly':
      return 366 * DAY
    case 'irregular':
      return null
    default: {
      const match = /^every (\d+(?:\.\d+)?)ms$/.exec(frequency)
      return match ? Number(match[1]) : null
    }
  }
}

/** Median step of a timestamp column (ms); used when the frequency is irregular or unknown. */
export function medianStepMs(times: Float64Array): number {
  if (times.length < 2) return 0
  const steps = new Float64Array(times.length - 1)
  for (let i = 1; i < times.length; i++) steps[i - 1] = times[i]! - times[i - 1]!
  // the higher median: one of the real steps, and of two middle steps the longer, so it errs away from calling jitter a gap
  return percentileOfSorted(steps.sort(), 50, 'higher')
}

/**
 * The longest step between two rows that is not a gap: the frequency's longest regular step
 * when it has one (maxRegularStepMs), else 1.5 × the median step, so an irregular series may
 * jitter by half a step around its median before a step counts as a gap.
 */
export function maxStepWithoutGapMs(times: Float64Array, regularStepMs: number | null): number {
  return regularStepMs ?? medianStepMs(times) * 1.5
}

/**
 * Whether the step into row i from row i − 1 is regular rather than a gap: forward and at most
 * maxStepMs, the frequency's longest regular step (maxStepWithoutGapMs); for business days,
 * unless a step is given, forward by whole days with at most MAX_HOLIDAYS weekdays missed, on
 * the calendar of the dataset's zone (business-days.ts).
 */
export function regularSteps(times: Float64Array, frequency: Frequency | undefined, options: { stepMs?: number; timeZone?: string } = {}): { maxStepMs: number; regular: (i: number) => boolean } {
  const derived = options.stepMs ?? (frequency ? maxRegularStepMs(frequency) : null)
  const maxStepMs = maxStepWithoutGapMs(times, derived)
  if (frequency === 'business-daily' && options.stepMs === undefined) {
    const wall = options.timeZone === undefined ? times : toWallClock(options.timeZone, times)
    return { maxStepMs, regular: (i) => businessStep(wall[i - 1]!, wall[i]!).kind === 'regular' }
  }
  return {
    maxStepMs,
    regular: (i) => {
      const step = times[i]! - times[i - 1]!
      return step > 0 && step <= maxStepMs
    },
  }
}

/**
 * Start rows of every window that spans no timestamp gap (nor an empty row) and whose targets are all present.
 * Missing INPUT values do not drop a window: after scaling they are imputed with the training
 * mean (0 in scaled units), which the caller reports to the user.
 */
export function makeWindows(times: Float64Array, options: WindowOptions): Windows {
  const { lookback, horizon } = options
  const length = lookback + horizon
  const { maxStepMs, regular } = regularSteps(times, options.frequency, options)
  const n = times.length
  const missing = options.targetMissing
  // prefix sums of the target-missing mask: a window's target rows are checked in O(1)
  const missingPrefix = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) missingPrefix[i + 1] = missingPrefix[i]! + (missing && missing[i] ? 1 : 0)

  // segmentStart[i]: first row of the gap-free run that contains row i
  const segmentStart = new Int32Array(n)
  const broken = options.rowBreak
  for (let i = 1; i < n; i++) {
    // an empty row is a segment of its own: a window holding it, or starting on it, spans a gap
    const joined = regular(i) && !(broken && (broken[i] || broken[i - 1]))
    segmentStart[i] = joined ? segmentStart[i - 1]! : i
  }

  const starts: number[] = []
  let droppedForGaps = 0
  let droppedForMissingTargets = 0
  for (let s = 0; s + length <= n; s++) {
    if (segmentStart[s + length - 1]! > s) droppedForGaps++
    else if (missingPrefix[s + length]! - missingPrefix[s + lookback]! > 0) droppedForMissingTargets++
    else starts.push(s)
  }
  return { starts: Int32Array.from(starts), droppedForGaps, droppedForMissingTargets, maxStepMs }
}
