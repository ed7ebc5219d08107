import type { PredictionIntervals } from './api'

/**
 * What a run's intervals were calibrated on, in words for the metrics table and the terminal
 * (src/core/eval/calibrate.ts): "each test window on the residuals known at its origin; the
 * forecast on 57 history, 96 validation and 30 test windows".
 */
export function describeCalibration(intervals: PredictionIntervals): string {
  const on = intervals.calibratedOn
  if (!on) return `calibrated on ${intervals.calibrationWindows} validation windows`
  const parts = [on.history > 0 ? `${on.history} history` : '', `${on.validation} validation`, `${on.test} test`].filter((part) => part.length > 0)
  const latest = on.history + on.validation + on.test > on.latest ? ` (the latest ${on.latest} per step)` : ''
  const adapted = on.gamma > 0 ? ` (adaptive, γ ${on.gamma})` : ''
  return `each test window calibrated on the residuals known at its origin${adapted}; the forecast on ${parts.join(', ').replace(/, ([^,]*)$/, ' and $1')} windows${latest}`
}
