import { hasErrorCode } from '../../shared/errors'
import { listUnsettledDailyDatasets, readTimes, settleDailyDataset } from '../store/datasets'
import { REFUSED_WRITE_CODES, type Db } from '../store/workspace'
import { detectFrequency, FREQUENCY_WARNING_CODES } from './import-build'

/**
 * Datasets stored as `daily` before trading days were recognised (every weekend then counted as
 * a gap, so almost no window trained; migration 11 marks them unsettled) are detected once more,
 * and take `business-daily` when their times say so, with the gap warnings of that frequency.
 * Re-importing the file cannot do it: its bytes are those of the stored dataset, which an import
 * finds and returns. A dataset a run or sweep uses keeps its frequency, since the run's windows
 * and evaluation follow it; each dataset is settled once, whatever the outcome. A workspace that
 * is busy, read-only or full is left for the next time it is opened. Returns the ids changed.
 */
export function upgradeTradingDayDatasets(db: Db): number[] {
  const upgraded: number[] = []
  try {
    for (const dataset of listUnsettledDailyDatasets(db)) {
      const detected = detectFrequency(readTimes(db, dataset.id), dataset.timeZone)
      const kept = dataset.warnings.filter((warning) => !FREQUENCY_WARNING_CODES.includes(warning.code))
      const tradingDays = detected.frequency === 'business-daily' ? { frequency: detected.frequency, warnings: [...kept, ...detected.warnings] } : undefined
      if (settleDailyDataset(db, dataset.id, tradingDays)) upgraded.push(dataset.id)
    }
  } catch (error) {
    if (!hasErrorCode(error, ...REFUSED_WRITE_CODES)) throw error
  }
  return upgraded
}
