import { describe, expect, it } from 'vitest'
import type { EpochRecord } from '../../../../src/shared/api'
import { clippedShare, gradientHeatmapOption, heatmapRows, normHistogram, stepNormDistributionOption } from '../../../../src/renderer/src/charts/gradient-health'

function epoch(n: number, over: Partial<EpochRecord> = {}): EpochRecord {
  return { epoch: n, trainLoss: 1, valLoss: 1, gradNorm: { mean: 1, p50: 1, p95: 1, max: 1 }, clippedFraction: 0, lr: 1e-3, clipThreshold: 1, seconds: 0.5, ...over }
}

const gates = (layer: number, [i, f, g, o]: number[]) => ({ [`layer${layer}/i`]: i!, [`layer${layer}/f`]: f!, [`layer${layer}/g`]: g!, [`layer${layer}/o`]: o!, [`layer${layer}`]: 99 })

describe('gradientHeatmapOption', () => {
  it('puts each gate of each layer and the head on a row, and log10 of the norm in each cell', () => {
    const epochs = [
      epoch(1, { layerNorms: { ...gates(0, [1, 10, 100, 0.1]), ...gates(1, [1, 1, 1, 1]), head: 1000 } }),
      epoch(2, { layerNorms: { ...gates(0, [1, 1, 1, 0]), head: 0.01 } }),
    ]
    expect(heatmapRows(epochs)).toEqual(['layer0/i', 'layer0/f', 'layer0/g', 'layer0/o', 'layer1/i', 'layer1/f', 'layer1/g', 'layer1/o', 'head'])
    const option = gradientHeatmapOption(epochs) as { series: Array<{ data: number[][] }>; visualMap: { min: number; max: number; formatter: (v: number) => string }; yAxis: { data: string[] } }
    const cells = option.series[0]!.data
    expect(cells.filter((c) => c[0] === 0).map((c) => [c[1], Number(c[2]!.toFixed(10))])).toEqual([[0, 0], [1, 1], [2, 2], [3, -1], [4, 0], [5, 0], [6, 0], [7, 0], [8, 3]])
    // a zero norm (epoch 2, gate o) and a missing layer are no cells, not the bottom of the scale
    expect(cells.filter((c) => c[0] === 1).map((c) => c[1])).toEqual([0, 1, 2, 8])
    expect(option.visualMap.min).toBe(-2)
    expect(option.visualMap.max).toBe(3)
    expect(option.visualMap.formatter(2)).toBe('100')
    expect(option.yAxis.data[0]).toBe('L0 i')
    expect(option.yAxis.data[8]).toBe('head')
  })
})

describe('normHistogram', () => {
  it('bins positive finite norms on log-spaced edges', () => {
    const { edges, counts } = normHistogram([1, 10, 100, 100, 0, Number.NaN, Number.POSITIVE_INFINITY], 2)
    expect(edges).toEqual([0, 1, 2])
    expect(counts).toEqual([1, 3])
  })

  it('has one bin when every norm is the same, none when there are none', () => {
    expect(normHistogram([2, 2]).counts).toEqual([2])
    expect(normHistogram([])).toEqual({ edges: [], counts: [] })
  })
})

describe('stepNormDistributionOption', () => {
  it('draws every step norm with the threshold line and the share the run clipped', () => {
    const epochs = [epoch(1, { stepNorms: [0.1, 1, 10], clippedFraction: 1 / 3 }), epoch(2, { stepNorms: [1], clippedFraction: 1 })]
    expect(clippedShare(epochs)).toBe(0.5)
    const option = stepNormDistributionOption(epochs, 0.5) as { title: { text: string }; series: Array<{ data: number[][]; markLine: { data: Array<{ xAxis: number }> } }> }
    expect(option.title.text).toBe('4 steps · 50% clipped')
    expect(option.series[0]!.data.reduce((sum, [, count]) => sum + count!, 0)).toBe(4)
    expect(option.series[0]!.markLine.data[0]!.xAxis).toBeCloseTo(Math.log10(0.5), 12)
  })

  it('draws no threshold line when clipping is off', () => {
    const option = stepNormDistributionOption([epoch(1, { stepNorms: [1, 2] })], null) as { series: Array<{ markLine?: unknown }> }
    expect(option.series[0]!.markLine).toBeUndefined()
  })
})
