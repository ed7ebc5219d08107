import { describe, expect, it } from 'vitest'
import { describeCalibration } from '../../../src/shared/intervals'

describe('describeCalibration', () => {
  const intervals = { levels: [80], calibrationWindows: 183, halfWidth: { '80': [1] } }

  it('says each test window used what was known at its origin and the forecast all windows', () => {
    expect(describeCalibration({ ...intervals, calibratedOn: { history: 57, validation: 96, test: 30, latest: 5000, gamma: 0.05 } })).toBe(
      'each test window calibrated on the residuals known at its origin (adaptive, γ 0.05); the forecast on 57 history, 96 validation and 30 test windows',
    )
    expect(describeCalibration({ ...intervals, calibratedOn: { history: 0, validation: 4000, test: 3000, latest: 5000, gamma: 0 } })).toBe(
      'each test window calibrated on the residuals known at its origin; the forecast on 4000 validation and 3000 test windows (the latest 5000 per step)',
    )
  })

  it('says validation windows for a run stored before', () => {
    expect(describeCalibration(intervals)).toBe('calibrated on 183 validation windows')
  })
})
