import { describe, expect, it } from 'vitest'
import { addValues, emptyMoments, finishScaler, fitScaler, scaleValue, unscaleValue } from '../../../../src/core/data/scaler'

describe('scaler', () => {
  it('standardises with the population mean and std', () => {
    const { scaler, warnings } = fitScaler([{ name: 'a', values: [1, 2, 3, 4] }])
    const a = scaler.columns[0]!
    expect(a.mean).toBe(2.5)
    expect(a.std).toBeCloseTo(Math.sqrt(1.25), 12)
    expect(warnings).toEqual([])
    expect(unscaleValue(a, scaleValue(a, 3.7))).toBeCloseTo(3.7, 12)
  })

  it('gives the same result fed chunk by chunk', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10 + i / 100)
    let moments = emptyMoments()
    for (let i = 0; i < values.length; i += 77) moments = addValues(moments, values.slice(i, i + 77))
    const chunked = finishScaler([{ name: 'a', moments }]).scaler.columns[0]!
    const whole = fitScaler([{ name: 'a', values }]).scaler.columns[0]!
    expect(chunked.mean).toBeCloseTo(whole.mean, 10)
    expect(chunked.std).toBeCloseTo(whole.std, 10)
  })

  it('skips missing values and imputes them as the training mean (0 scaled)', () => {
    const a = fitScaler([{ name: 'a', values: [1, NaN, 3] }]).scaler.columns[0]!
    expect(a.mean).toBe(2)
    expect(scaleValue(a, NaN)).toBe(0)
  })

  it('keeps std 1 for a constant column and warns, never dividing by zero (reliability 12)', () => {
    const { scaler, warnings } = fitScaler([{ name: 'c', values: [5, 5, 5] }])
    expect(scaler.columns[0]).toMatchObject({ mean: 5, std: 1, status: 'constant' })
    expect(scaleValue(scaler.columns[0]!, 5)).toBe(0)
    expect(warnings.map((w) => w.code)).toEqual(['COLUMN_CONSTANT'])
  })

  it('excludes an all-missing column with a warning (reliability 12)', () => {
    const { scaler, warnings } = fitScaler([{ name: 'm', values: [NaN, NaN] }])
    expect(scaler.columns[0]!.status).toBe('excluded')
    expect(warnings.map((w) => w.code)).toEqual(['COLUMN_ALL_MISSING'])
  })
})
