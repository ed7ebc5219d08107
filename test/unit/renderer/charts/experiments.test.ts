import { describe, expect, it } from 'vitest'
import { overlayOption, parallelAxes, parallelCoordinatesOption, settingScatterOption, smooth } from '../../../../src/renderer/src/charts/experiments'
import type { EpochRecord } from '../../../../src/shared/api'
import type { RunTable } from '../../../../src/shared/run-table'

/** The parts of the options these tests read. */
interface Drawn {
  parallelAxis: Array<{ name: string; type: string }>
  series: Array<{ type: string; name: string; data: Array<Array<number | null>> & Array<{ name: string; value: unknown[] }>; lineStyle: { type: string; color: string } }>
  visualMap: unknown
  xAxis: { max: number; type: string; data?: string[] }
  yAxis: { type: string }
}

/** Four runs of a 2×2 sweep over lr and clipThreshold, and one run outside it with another optimizer. */
const TABLE: RunTable = {
  summary: 'best',
  columns: [
    { key: 'id', group: 'run', varying: true },
    { key: 'lr', group: 'setting', varying: true },
    { key: 'clipThreshold', group: 'setting', varying: true },
    { key: 'optimizer', group: 'setting', varying: true },
    { key: 'horizon', group: 'setting', varying: false },
    { key: 'valLoss', group: 'metric', varying: true },
  ],
  rows: [
    [5, 0.1, 10, 'sgd', 2, 0.9],
    [4, 0.01, 10, 'adam', 2, 0.4],
    [3, 0.001, 10, 'adam', 2, 0.5],
    [2, 0.01, 0.1, 'adam', 2, null],
    [1, 0.001, 0.1, 'adam', 2, 0.25],
  ],
}

describe('parallelCoordinatesOption', () => {
  it('draws an axis per setting that differs among the chosen runs, then the metric, one line per run', () => {
    const option = parallelCoordinatesOption(TABLE, [1, 2, 3, 4], 'valLoss') as unknown as Drawn
    expect(option.parallelAxis.map((a) => [a.name, a.type])).toEqual([
      ['lr', 'value'],
      ['clipThreshold', 'log'],
      ['Validation loss', 'value'],
    ])
    expect(option.series[0]!.type).toBe('parallel')
    expect(option.series[0]!.data).toEqual([
      { name: '#1', value: [0.001, 0.1, 0.25] },
      { name: '#2', value: [0.01, 0.1, null] },
      { name: '#3', value: [0.001, 10, 0.5] },
      { name: '#4', value: [0.01, 10, 0.4] },
    ])
    expect(option.visualMap).toMatchObject({ dimension: 2, min: 0.25, max: 0.5 })
  })

  it('draws a choice as a category axis once its runs differ in it', () => {
    const axes = parallelAxes(TABLE, TABLE.rows, 'valLoss')
    expect(axes.map((a) => a.key)).toEqual(['lr', 'clipThreshold', 'optimizer', 'valLoss'])
    expect(axes[2]).toEqual({ key: 'optimizer', kind: 'category', categories: ['adam', 'sgd'] })
    // lr spans exactly two decades (0.001..0.1): log
    expect(axes[0]!.kind).toBe('log')
  })
})

describe('smooth', () => {
  it('leaves values alone at weight 0 and debiases the first value', () => {
    expect(smooth([1, 2, null, 4], 0)).toEqual([1, 2, null, 4])
    const smoothed = smooth([1, 3], 0.5)
    // (0.5·1)/(1−0.5) = 1; (0.5·0.5 + 0.5·3)/(1−0.25) = 1.75/0.75
    expect(smoothed[0]).toBeCloseTo(1, 12)
    expect(smoothed[1]).toBeCloseTo(1.75 / 0.75, 12)
  })
})

describe('overlayOption', () => {
  const epoch = (n: number, trainLoss: number, valLoss: number | null): EpochRecord => ({
    epoch: n, trainLoss, valLoss, gradNorm: { mean: 1, p50: 1, p95: 1, max: 1 }, clippedFraction: 0, lr: 0.001, clipThreshold: null, seconds: 1,
  })

  it('overlays each run\'s validation (solid) and train (dashed) loss in the run\'s colour', () => {
    const option = overlayOption([
      { runId: 7, epochs: [epoch(1, 2, 1.5), epoch(2, 1, 1.25)] },
      { runId: 9, epochs: [epoch(1, 3, null), epoch(2, 2, 2), epoch(3, 1, 1)] },
    ]) as unknown as Drawn
    expect(option.series.map((s) => [s.name, s.lineStyle.type])).toEqual([
      ['#7 validation', 'solid'],
      ['#7 train', 'dashed'],
      ['#9 validation', 'solid'],
      ['#9 train', 'dashed'],
    ])
    expect(option.series[0]!.lineStyle.color).toBe(option.series[1]!.lineStyle.color)
    expect(option.series[0]!.lineStyle.color).not.toBe(option.series[2]!.lineStyle.color)
    expect(option.series[2]!.data).toEqual([[1, null], [2, 2], [3, 1]])
    expect(option.xAxis.max).toBe(3)
  })

  it('smooths when asked', () => {
    const option = overlayOption([{ runId: 1, epochs: [epoch(1, 1, 1), epoch(2, 3, 3)] }], 'loss', 0.5) as unknown as Drawn
    expect(option.series[0]!.data[1]![1]).toBeCloseTo(1.75 / 0.75, 12)
  })

  it('overlays the gradient norm on a log axis: p95 solid, max dashed', () => {
    const option = overlayOption([{ runId: 3, epochs: [epoch(1, 1, 1)] }], 'gradNorm') as unknown as Drawn
    expect(option.series.map((s) => [s.name, s.lineStyle.type])).toEqual([['#3 ‖g‖ p95', 'solid'], ['#3 ‖g‖ max', 'dashed']])
    expect(option.yAxis.type).toBe('log')
  })
})

describe('settingScatterOption', () => {
  it('puts each run at its setting and metric, choices as categories, runs without the metric left out', () => {
    const option = settingScatterOption(TABLE, [1, 2, 3, 4, 5], 'optimizer', 'valLoss') as unknown as Drawn
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['adam', 'sgd'] })
    expect(option.series[0]!.data).toEqual([
      { name: '#1', value: ['adam', 0.25] },
      { name: '#3', value: ['adam', 0.5] },
      { name: '#4', value: ['adam', 0.4] },
      { name: '#5', value: ['sgd', 0.9] },
    ])
    expect((settingScatterOption(TABLE, [1, 3], 'clipThreshold', 'valLoss') as unknown as Drawn).xAxis.type).toBe('log')
  })
})
