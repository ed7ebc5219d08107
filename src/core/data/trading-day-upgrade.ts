import { listUnusedDailyDatasets, readTimes, setDatasetFrequency } from '../store/datasets'
import type { Db } from '../store/workspace'
import { detectFrequency, FREQUENCY_WARNING_CODES } from './import-build'

/**
 * Datasets imported as `daily` before trading days were recognised (every weekend then counted
 * as a gap, so almost no window trained) are detected again, and take `business-daily` when
 * their times say so, with the gap warnings of that frequency. Re-importing the file cannot do
 * it: its bytes are those of the stored dataset, which an import finds and returns. Only
 * datasets no run or sweep uses change, since a run's windows and evaluation follow its
 * dataset's frequency; a daily series is at most a few tens of thousands of rows, so reading
 * their times when a host opens the workspace costs little. Returns the ids changed.
 */
export function upgradeTradingDayDatasets(db: Db): number[] {
  const upgraded: number[] = []
  for (const dataset of listUnusedDailyDatasets(db)) {
    const detected = detectFrequency(readTimes(db, dataset.id), dataset.timeZone)
    if (detected.frequency !== 'business-daily') continue
    const kept = dataset.warnings.filter((warning) => !FREQUENCY_WARNING_CODES.includes(warning.code))
    setDatasetFrequency(db, dataset.id, detected.frequency, [...kept, ...detected.warnings])
    upgraded.push(dataset.id)
  }
  return upgraded
}
