import { describe, expect, it } from 'vitest'
import { ACTUAL_COLOR, groupLossBandOption, heatmapRange, maeHeatmapOption, testForecastOverlayOption } from '../../../../src/renderer/src/charts/compare-forecasts'
import { PALETTE } from '../../../../src/renderer/src/charts/options'
import type { RunGroups, TestForecasts } from '../../../../src/shared/experiments'

interface Drawn {
  series: Array<{ name: string; type: string; data: unknown[]; stack?: string; areaStyle?: unknown; lineStyle: { color?: string; opacity?: number } }>
  xAxis: { type: string; data?: string[]; max?: number }
  yAxis: { type: string; data?: string[] }
  visualMap: { min: number; max: number }
}

const t = (hour: number) => new Date(Date.UTC(2024, 0, 1, hour)).toISOString()

/** Two runs on one dataset: run 1 sees rows 1–3, run 2 rows 2–4; horizon 2, targets y and z. */
const RUN_1: TestForecasts = {
  runId: 1, datasetId: 5, targets: ['y', 'z'], horizon: 2, windows: 2, drawnWindows: 2,
  time: [t(1), t(2), t(3)],
  actual: { y: [10, 11, null], z: [1, 1, 1] },
  predicted: { y: [[9, 12, null], [null, 13, 7]], z: [[1, 1, null], [null, 2, 2]] },
  mae: [[0.5, 2], [0, null]],
}
const RUN_2: TestForecasts = {
  runId: 2, datasetId: 5, targets: ['y'], horizon: 2, windows: 2, drawnWindows: 2,
  time: [t(2), t(3), t(4)],
  actual: { y: [11, null, 14] },
  predicted: { y: [[11.5, 12, null], [null, 10, 15]] },
  mae: [[3, 4]],
}

describe('testForecastOverlayOption', () => {
  it('draws the actual values once on a time axis, then each run\'s forecast at the chosen step with its gaps left out', () => {
    const option = testForecastOverlayOption([RUN_1, RUN_2], 'y', 2) as unknown as Drawn
    expect(option.xAxis.type).toBe('time')
    expect(option.series.map((s) => s.name)).toEqual(['actual', '#1', '#2'])
    expect(option.series[0]!.data).toEqual([[t(1), 10], [t(2), 11], [t(3), null], [t(4), 14]])
    expect(option.series[0]!.lineStyle.color).toBe(ACTUAL_COLOR)
    expect(option.series[1]!.data).toEqual([[t(2), 13], [t(3), 7]])
    expect(option.series[2]!.data).toEqual([[t(3), 10], [t(4), 15]])
    expect(option.series.slice(1).map((s) => s.lineStyle.color)).toEqual([PALETTE[0], PALETTE[1]])
  })

  it('draws one actual line per dataset when the runs are on several', () => {
    const option = testForecastOverlayOption([RUN_1, { ...RUN_2, datasetId: 6 }], 'y', 2) as unknown as Drawn
    expect(option.series.map((s) => s.name)).toEqual(['actual (dataset 5)', 'actual (dataset 6)', '#1', '#2'])
    expect(option.series[0]!.data).toEqual([[t(1), 10], [t(2), 11], [t(3), null]])
    expect(option.series[1]!.data).toEqual([[t(2), 11], [t(3), null], [t(4), 14]])
  })

  it('leaves out a run that does not forecast the target or that step', () => {
    const option = testForecastOverlayOption([RUN_1, RUN_2], 'z', 1) as unknown as Drawn
    expect(option.series.map((s) => s.name)).toEqual(['actual', '#1'])
    expect(option.series[1]!.data).toEqual([[t(1), 1], [t(2), 1]])
    expect((testForecastOverlayOption([RUN_1], 'y', 3) as unknown as Drawn).series.map((s) => s.name)).toEqual([])
  })
})

describe('maeHeatmapOption', () => {
  it('puts steps on x, targets on y, one cell per MAE (a dash where there is none), on the shared range', () => {
    const range = heatmapRange([RUN_1, RUN_2])
    expect(range).toEqual({ min: 0, max: 4 })
    const option = maeHeatmapOption(RUN_1, range) as unknown as Drawn
    expect(option.xAxis.data).toEqual(['1', '2'])
    expect(option.yAxis.data).toEqual(['y', 'z'])
    expect(option.series[0]!.type).toBe('heatmap')
    expect(option.series[0]!.data).toEqual([[0, 0, 0.5], [1, 0, 2], [0, 1, 0], [1, 1, '-']])
    expect([option.visualMap.min, option.visualMap.max]).toEqual([0, 4])
  })

  it('gives a range that is never empty', () => {
    expect(heatmapRange([{ ...RUN_2, mae: [[2, 2]] }])).toEqual({ min: 2, max: 3 })
    expect(heatmapRange([{ ...RUN_2, mae: [[null, null]] }])).toEqual({ min: 0, max: 1 })
  })
})

describe('groupLossBandOption', () => {
  it('draws per group an invisible lower line, the 2·sd band stacked on it and the mean; no band where one run reached the epoch', () => {
    const groups: RunGroups = {
      by: { setting: 'lr' },
      metric: 'test.mae',
      groups: [
        { label: 'lr=0.01', runIds: [1, 2], metric: { n: 2, mean: 2, std: 1, min: 1, max: 3 }, loss: [{ n: 2, mean: 4, std: 1.5, min: 3, max: 5 }, { n: 1, mean: 2, std: null, min: 2, max: 2 }] },
        { label: 'lr=0.1', runIds: [3], metric: { n: 1, mean: 5, std: null, min: 5, max: 5 }, loss: [{ n: 1, mean: 6, std: null, min: 6, max: 6 }] },
      ],
    }
    const option = groupLossBandOption(groups) as unknown as Drawn
    expect(option.series.map((s) => s.name)).toEqual(['lr=0.01 (−1 sd)', 'lr=0.01 (± 1 sd)', 'lr=0.01', 'lr=0.1 (−1 sd)', 'lr=0.1 (± 1 sd)', 'lr=0.1'])
    expect(option.series[0]!.data).toEqual([[1, 2.5], [2, null]])
    expect(option.series[1]!.data).toEqual([[1, 3], [2, null]])
    expect(option.series[0]!.stack).toBe(option.series[1]!.stack)
    expect(option.series[0]!.lineStyle.opacity).toBe(0)
    expect(option.series[1]!.areaStyle).toBeDefined()
    expect(option.series[2]!.data).toEqual([[1, 4], [2, 2]])
    expect(option.series[5]!.data).toEqual([[1, 6]])
    expect(option.xAxis.max).toBe(2)
  })
})
