import { describe, expect, it } from 'vitest'
import { baselineLabel, estimateRemainingSeconds, formatDatasetTime, formatDuration, formatNumber, formatPercent, formatSpan, metricLabel, statusTone } from '../../../../src/renderer/src/charts/format'

describe('formatters', () => {
  it('formats numbers with significant digits and exponents for extremes', () => {
    expect(formatNumber(0.123456)).toBe('0.1235')
    expect(formatNumber(1234.5678)).toBe('1,235')
    expect(formatNumber(1e-5)).toBe('1.000e-5')
    expect(formatNumber(null)).toBe('—')
    expect(formatNumber(Number.NaN)).toBe('NaN')
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBe('−∞')
    expect(formatNumber(0)).toBe('0')
  })

  it('formats fractions as percent', () => {
    expect(formatPercent(0.256)).toBe('25.6%')
    expect(formatPercent(undefined)).toBe('—')
  })

  it('formats durations in the largest sensible units', () => {
    expect(formatDuration(0.25)).toBe('250 ms')
    expect(formatDuration(42)).toBe('42 s')
    expect(formatDuration(75)).toBe('1 min 15 s')
    expect(formatDuration(3720)).toBe('1 h 2 min')
    expect(formatDuration(null)).toBe('—')
  })

  it('estimates the remaining time from the fraction done', () => {
    expect(estimateRemainingSeconds(0.25, 10)).toBe(30)
    expect(estimateRemainingSeconds(0, 10)).toBeNull()
    expect(estimateRemainingSeconds(1, 10)).toBe(0)
  })

  it('estimates from the progress made since the clock started, for a page opened mid-run', () => {
    // half was done before this page saw the run; 10 s for the next quarter leaves 10 s
    expect(estimateRemainingSeconds(0.75, 10, 0.5)).toBe(10)
    expect(estimateRemainingSeconds(0.5, 10, 0.5)).toBeNull()
  })

  it('describes a time span', () => {
    expect(formatSpan('2010-01-01T00:00:00Z', '2010-12-31T23:00:00Z')).toBe('12.0 months')
    expect(formatSpan('2010-01-01T00:00:00Z', '2010-01-01T06:00:00Z')).toBe('6 hours')
    expect(formatSpan('2000-01-01T00:00:00Z', '2010-01-01T00:00:00Z')).toBe('10.0 years')
  })

  it('gives each run status a tone', () => {
    expect(statusTone('completed')).toBe('good')
    expect(statusTone('diverged')).toBe('bad')
    expect(statusTone('running')).toBe('active')
    expect(statusTone('interrupted')).toBe('warn')
  })

  it('labels comparison metric rows', () => {
    expect(metricLabel('test.mae')).toBe('Test MAE')
    expect(metricLabel('seasonalNaive.mase')).toBe('Seasonal naive MASE')
    expect(baselineLabel('seasonalNaive')).toBe('Seasonal naive')
    expect(baselineLabel('drift')).toBe('drift')
    expect(metricLabel('test.rmse[temp]')).toBe('Test RMSE · temp')
    expect(metricLabel('clip.fractionClipped')).toBe('Clipping fraction clipped')
    expect(metricLabel('bestValLoss')).toBe('Best val loss')
  })
})

describe('formatDatasetTime', () => {
  it('shows periods as periods and a zoned dataset on its wall clock', () => {
    expect(formatDatasetTime('2009-07-01T00:00:00.000Z', { frequency: 'quarterly' })).toBe('2009Q3')
    expect(formatDatasetTime('1700-01-01T00:00:00.000Z', { frequency: 'yearly' })).toBe('1700')
    expect(formatDatasetTime('2020-02-01T00:00:00.000Z', { frequency: 'monthly' })).toBe('2020-02')
    expect(formatDatasetTime('2024-10-27T00:30:00.000Z', { frequency: 'hourly', timeZone: 'Europe/Berlin' })).toBe('2024-10-27 02:30 Europe/Berlin')
    expect(formatDatasetTime('2024-10-27T00:30:00.000Z', { frequency: 'hourly' })).toBe('2024-10-27 00:30')
  })
})
