import { describe, expect, it } from 'vitest'
import type { Comparison, EpochRecord, RunSummary } from '../../../../src/shared/api'
import { forDarkScheme, PALETTE, gradNormChartOption, lossChartOption, perHorizonChartOption, seriesChartOption, forecastChartOption, runHorizonChartOption } from '../../../../src/renderer/src/charts/options'

function epoch(n: number, over: Partial<EpochRecord> = {}): EpochRecord {
  return { epoch: n, trainLoss: 1 / n, valLoss: 1.5 / n, gradNorm: { mean: 2, p50: 1.5 * n, p95: 3 * n, max: 5 * n }, clippedFraction: 0.25, lr: 1e-3, clipThreshold: 1, seconds: 0.5, ...over }
}

type Series = { name: string; type: string; data: unknown[]; markLine?: { data: Array<Record<string, unknown>> } }
const seriesOf = (option: { series?: unknown }) => option.series as Series[]

describe('lossChartOption', () => {
  it('draws train and validation loss per epoch', () => {
    const series = seriesOf(lossChartOption([epoch(1), epoch(2)]))
    expect(series.map((s) => s.name)).toEqual(['train loss', 'validation loss'])
    expect(series[0]!.data).toEqual([[1, 1], [2, 0.5]])
    expect(series[1]!.data).toEqual([[1, 1.5], [2, 0.75]])
  })

  it('turns a missing or non-finite loss into a gap, never NaN', () => {
    const series = seriesOf(lossChartOption([epoch(1, { valLoss: null }), epoch(2, { trainLoss: Number.NaN })]))
    expect(series[1]!.data[0]).toEqual([1, null])
    expect(series[0]!.data[1]).toEqual([2, null])
  })

  it('marks each recovery at its epoch', () => {
    const option = lossChartOption([epoch(1), epoch(2), epoch(3)], [{ epoch: 2, step: 5, reason: 'non-finite loss', lr: 5e-4, clipThreshold: 0.5 }])
    expect(seriesOf(option)[0]!.markLine?.data).toEqual([{ xAxis: 2, name: 'non-finite loss' }])
    expect(seriesOf(lossChartOption([epoch(1)]))[0]!.markLine).toBeUndefined()
  })
})

describe('gradNormChartOption', () => {
  it('draws p50, p95 and max per epoch and the clip threshold as a line', () => {
    const option = gradNormChartOption([epoch(1), epoch(2)], 0.75)
    const series = seriesOf(option)
    expect(series.map((s) => s.name)).toEqual(['p50', 'p95', 'max'])
    expect(series[2]!.data).toEqual([[1, 5], [2, 10]])
    expect(series[0]!.markLine?.data).toEqual([{ yAxis: 0.75, name: 'clip threshold' }])
  })

  it('has no threshold line without clipping', () => {
    expect(seriesOf(gradNormChartOption([epoch(1)], null))[0]!.markLine).toBeUndefined()
  })

  it('adds every step norm as a faint scatter, on a log axis when all are positive', () => {
    const option = gradNormChartOption([epoch(1)], 1, [{ x: 0.5, norm: 0.2 }, { x: 0.9, norm: 40 }])
    const steps = seriesOf(option).find((s) => s.name === 'steps')!
    expect(steps.type).toBe('scatter')
    expect(steps.data).toEqual([[0.5, 0.2], [0.9, 40]])
    expect((option.yAxis as { type: string }).type).toBe('log')
  })

  it('falls back to a linear axis when a norm is zero and drops non-finite steps', () => {
    const option = gradNormChartOption([epoch(1, { gradNorm: { mean: 0, p50: 0, p95: 0, max: 0 } })], null, [{ x: 0.1, norm: Number.POSITIVE_INFINITY }])
    expect((option.yAxis as { type: string }).type).toBe('value')
    expect(seriesOf(option).find((s) => s.name === 'steps')!.data).toEqual([])
  })
})

describe('perHorizonChartOption', () => {
  const run = (id: number) => ({ id }) as RunSummary
  const comparison: Comparison = {
    runs: [run(3), run(4)],
    differences: { clip: ['none', 'norm'] },
    metrics: {},
    perHorizon: { 'test.mae': [[1, 2, 3], [1.5, null, 2.5]], 'naive.mae': [[2, 2, 2], [2, 2, 2]], 'seasonalNaive.mae': [[null, null, null], [null, null, null]] },
    notes: [],
  }

  it('draws one line per run over the horizon steps, side by side', () => {
    const option = perHorizonChartOption(comparison)
    expect((option.xAxis as { data: string[] }).data).toEqual(['1', '2', '3'])
    const series = seriesOf(option)
    expect(series[0]).toMatchObject({ name: 'run 3', data: [1, 2, 3] })
    expect(series[1]).toMatchObject({ name: 'run 4', data: [1.5, null, 2.5] })
  })

  it('adds the naive baseline dashed and leaves out a baseline with no values', () => {
    const names = seriesOf(perHorizonChartOption(comparison)).map((s) => s.name)
    expect(names).toContain('naive')
    expect(names).not.toContain('seasonal naive')
  })
})

describe('other charts', () => {
  it('draws each dataset column in its own panel, since columns differ in scale', () => {
    const option = seriesChartOption({ datasetId: 1, time: ['2024-01-01T00:00:00.000Z'], columns: { pressure: [1017], wind: [3] } })
    expect((option.grid as unknown[]).length).toBe(2)
    expect(seriesOf(option).map((s) => (s as unknown as { yAxisIndex: number }).yAxisIndex)).toEqual([0, 1])
  })

  it('draws a dataset column against time with gaps for missing values', () => {
    const option = seriesChartOption({ datasetId: 1, time: ['2024-01-01T00:00:00.000Z', '2024-01-01T01:00:00.000Z'], columns: { temp: [1, null] } })
    expect(seriesOf(option)[0]!.data).toEqual([['2024-01-01T00:00:00.000Z', 1], ['2024-01-01T01:00:00.000Z', null]])
  })

  it('continues each target history with its forecast', () => {
    const option = forecastChartOption(
      { datasetId: 1, time: ['t0'], columns: { temp: [4] } },
      { runId: 1, origin: 't0', horizon: 2, time: ['t1', 't2'], values: { temp: [5, 6] } },
    )
    expect(seriesOf(option).map((s) => s.name)).toEqual(['temp (history)', 'temp (forecast)'])
    expect(seriesOf(option)[1]!.data).toEqual([['t1', 5], ['t2', 6]])
  })

  it('draws a run per-horizon MAE against its baselines', () => {
    const metrics = { mae: 1, rmse: 1, smape: 1, mase: 1, perHorizon: [{ step: 1, mae: 0.5, rmse: 1 }, { step: 2, mae: 0.7, rmse: 1 }], perTarget: {} }
    const option = runHorizonChartOption(metrics, { naive: { ...metrics, perHorizon: [{ step: 1, mae: 1, rmse: 1 }, { step: 2, mae: 1.2, rmse: 1 }] } })
    expect(seriesOf(option).map((s) => [s.name, s.data])).toEqual([['model', [0.5, 0.7]], ['naive', [1, 1.2]]])
  })
})

describe('forDarkScheme', () => {
  it('swaps the ink of text, axes and grid for the dark background and keeps the data colours', () => {
    const option = { textStyle: { color: '#3d4757' }, yAxis: [{ axisLabel: { color: '#8a94a6' }, splitLine: { lineStyle: { color: '#e8ebf0' } } }], color: [...PALETTE], series: [{ data: [1, 2] }] }
    expect(forDarkScheme(option)).toEqual({ textStyle: { color: '#d5dbe6' }, yAxis: [{ axisLabel: { color: '#98a2b5' }, splitLine: { lineStyle: { color: '#2c3444' } } }], color: PALETTE, series: [{ data: [1, 2] }] })
  })
})
