import { ClipcastError } from '../../shared/errors'

export interface SplitOptions {
  lookback: number
  horizon: number
  valFraction: number
  testFraction: number
}

/**
 * A chronological split by target time. Boundaries are rows: every training target lies in
 * rows [0, trainEndRow), every validation target in [trainEndRow, valEndRow), every test
 * target in [valEndRow, …). Windows whose targets straddle a boundary are dropped (purged),
 * so no training target falls inside the validation or test period; inputs may still look
 * back across a boundary — that is the past, not a leak.
 */
export interface Split {
  train: Int32Array
  val: Int32Array
  test: Int32Array
  /** First row of the validation period (= end of the rows the scaler may see). */
  trainEndRow: number
  /** First row of the test period. */
  valEndRow: number
  /** Windows dropped because their targets straddled a boundary. */
  purged: number
}

/** Splits ascending window starts chronologically; DATASET_TOO_SHORT when a part would be empty. */
export function splitWindows(starts: Int32Array, options: SplitOptions): Split {
  const { lookback, horizon, valFraction, testFraction } = options
  const n = starts.length
  const firstTarget = (i: number) => starts[i]! + lookback
  const targetEnd = (i: number) => starts[i]! + lookback + horizon

  const testCount = testFraction > 0 ? Math.max(1, Math.round(n * testFraction)) : 0
  const testFrom = n - testCount
  const valEndRow = testCount > 0 && testFrom >= 0 && testFrom < n ? firstTarget(testFrom) : n > 0 ? targetEnd(n - 1) : 0
  // windows whose targets end before the test period; the last of them become validation
  let beforeTest = 0
  while (beforeTest < n && targetEnd(beforeTest) <= valEndRow) beforeTest++
  const valCount = valFraction > 0 ? Math.max(1, Math.round(n * valFraction)) : 0
  const valFrom = beforeTest - valCount
  const trainEndRow = valCount > 0 && valFrom >= 0 && valFrom < n ? firstTarget(valFrom) : valEndRow
  let trainCount = 0
  while (trainCount < n && targetEnd(trainCount) <= trainEndRow) trainCount++

  if (n === 0 || testFrom < 0 || valFrom < 1 || trainCount < 1) {
    throw new ClipcastError(
      'DATASET_TOO_SHORT',
      `Only ${n} complete window${n === 1 ? '' : 's'} of lookback ${lookback} + horizon ${horizon} rows fit this dataset; ` +
        `the split (validation ${valFraction}, test ${testFraction}) needs at least one training window after purging the boundaries ` +
        `(it would get ${Math.max(0, trainCount)} training, ${Math.max(0, valCount)} validation and ${testCount} test windows).`,
      {
        hint: 'Use a shorter {lookback} or {horizon}, a smaller {valFraction} or {testFraction}, or a longer dataset.',
        details: { windows: n, lookback, horizon, valFraction, testFraction, settings: ['lookback', 'horizon', 'valFraction', 'testFraction'] },
      },
    )
  }
  return {
    train: starts.slice(0, trainCount),
    val: starts.slice(Math.max(valFrom, 0), beforeTest),
    test: starts.slice(testFrom, n),
    trainEndRow,
    valEndRow,
    purged: n - trainCount - (beforeTest - Math.max(valFrom, 0)) - testCount,
  }
}
