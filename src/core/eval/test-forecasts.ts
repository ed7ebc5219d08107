import type { TestForecasts } from '../../shared/experiments'
import { readTimes } from '../store/datasets'
import { hasErrorCode } from '../../shared/errors'
import { writeTestForecasts } from '../store/test-forecasts'
import { REFUSED_WRITE_CODES, writeTransaction, type Db } from '../store/workspace'
import { predictTest } from './evaluate'
import { loadRunModel } from './inference'
import { blockIndex, type ForecastBlock } from './metrics'

/** Windows drawn in the overlay: enough to read a test period, small enough to send N runs of to a page. */
export const MAX_DRAWN_WINDOWS = 1000

/** MAE per target and horizon step, `[target][step]`, over the finite pairs of every window; null where a cell has none. */
export function maeByTargetStep(actual: ForecastBlock, predicted: ForecastBlock): Array<Array<number | null>> {
  return Array.from({ length: actual.targets }, (_, k) =>
    Array.from({ length: actual.horizon }, (_, s) => {
      let sum = 0
      let count = 0
      for (let w = 0; w < actual.windows; w++) {
        const at = blockIndex(actual, w, s, k)
        const error = Math.abs(actual.values[at]! - predicted.values[at]!)
        if (Number.isFinite(error)) {
          sum += error
          count++
        }
      }
      return count === 0 ? null : sum / count
    }),
  )
}

const finiteOrNull = (value: number | undefined): number | null => (value !== undefined && Number.isFinite(value) ? value : null)

/**
 * The test windows' forecasts laid on the rows they forecast: step s of the window with origin
 * o is row o + 1 + s (as actualBlock). Only the latest `maxWindows` windows are drawn; the MAE
 * grid is over all of them.
 */
export function alignTestForecasts(input: {
  runId: number
  datasetId: number
  targets: string[]
  origins: readonly number[]
  actual: ForecastBlock
  predicted: ForecastBlock
  /** Epoch milliseconds of every row of the dataset. */
  times: ArrayLike<number>
  maxWindows?: number
}): TestForecasts {
  const { actual, predicted, targets, origins } = input
  const horizon = actual.horizon
  const first = Math.max(0, origins.length - (input.maxWindows ?? MAX_DRAWN_WINDOWS))
  const drawn = origins.slice(first)
  const rows = [...new Set(drawn.flatMap((origin) => Array.from({ length: horizon }, (_, s) => origin + 1 + s)))].sort((a, b) => a - b)
  const position = new Map(rows.map((row, i) => [row, i]))
  const actualOut = targets.map(() => rows.map((): number | null => null))
  const predictedOut = targets.map(() => Array.from({ length: horizon }, () => rows.map((): number | null => null)))
  drawn.forEach((origin, d) => {
    const w = first + d
    for (let s = 0; s < horizon; s++) {
      const i = position.get(origin + 1 + s)!
      targets.forEach((_, k) => {
        const at = blockIndex(actual, w, s, k)
        actualOut[k]![i] = finiteOrNull(actual.values[at])
        predictedOut[k]![s]![i] = finiteOrNull(predicted.values[at])
      })
    }
  })
  return {
    runId: input.runId,
    datasetId: input.datasetId,
    targets,
    horizon,
    windows: origins.length,
    drawnWindows: drawn.length,
    time: rows.map((row) => new Date(input.times[row]!).toISOString()),
    actual: Object.fromEntries(targets.map((name, k) => [name, actualOut[k]!])),
    predicted: Object.fromEntries(targets.map((name, k) => [name, predictedOut[k]!])),
    mae: maeByTargetStep(actual, predicted),
  }
}

/**
 * A run's forecasts over its test period from its best checkpoint, computed as the test export
 * computes them (predictBatches), so the MAE grid's mean over steps is the run's stored MAE per
 * target; stored with that checkpoint (src/core/store/test-forecasts.ts), so Compare asks
 * for them again at no cost (the handler reads them first, readTestForecasts). A store that
 * refuses the write still gets the forecasts. The caller selects the backend (selectRunBackend).
 */
export async function runTestForecasts(db: Db, runId: number): Promise<TestForecasts> {
  const loaded = loadRunModel(db, runId, 'best')
  let forecasts: TestForecasts
  try {
    const { test, predicted } = await predictTest(db, { ...loaded, runId })
    forecasts = alignTestForecasts({ runId, datasetId: loaded.data.dataset.id, targets: loaded.data.targets, origins: test.origins, actual: test.actual, predicted, times: readTimes(db, loaded.data.dataset.id) })
  } finally {
    loaded.model.dispose()
  }
  try {
    writeTransaction(db, () => writeTestForecasts(db, runId, loaded.checkpoint, forecasts))
  } catch (error) {
    if (!hasErrorCode(error, ...REFUSED_WRITE_CODES)) throw error
  }
  return forecasts
}
