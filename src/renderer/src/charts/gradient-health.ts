import type { BarSeriesOption, EChartsOption, HeatmapSeriesOption } from 'echarts'
import type { EpochRecord } from '../../../shared/api'
import { formatNumber } from './format'
import { MUTED, TEXT } from './options'

/**
 * Pure option builders for a run's gradient health: where the pre-clip norm sits (layer × gate
 * over epochs) and how the step norms spread around the clip threshold.
 */

const GATES = ['i', 'f', 'g', 'o'] as const
const THRESHOLD = '#d1495b'

/** Rows of the heatmap, top to bottom: the head, then each layer's gates (layer 0 at the bottom, where the input enters). */
export function heatmapRows(epochs: readonly EpochRecord[]): string[] {
  const layers = new Set<number>()
  for (const e of epochs) for (const key of Object.keys(e.layerNorms ?? {})) {
    const match = /^layer(\d+)\/[ifgo]$/.exec(key)
    if (match) layers.add(Number(match[1]))
  }
  const sorted = [...layers].sort((a, b) => a - b)
  return [...sorted.flatMap((layer) => GATES.map((gate) => `layer${layer}/${gate}`)), 'head']
}

const rowLabel = (key: string) => (key === 'head' ? 'head' : key.replace(/^layer(\d+)\/(\w)$/, 'L$1 $2'))
const log10Label = (v: number) => formatNumber(10 ** v, 2)

/**
 * The mean pre-clip norm of each layer-gate and the head per epoch, coloured on a log scale:
 * the cell value is log10(norm), the tooltip and legend show the norm itself. Cells with no
 * norm (or a zero one) are left out rather than drawn as the bottom of the scale.
 */
export function gradientHeatmapOption(epochs: readonly EpochRecord[]): EChartsOption {
  const rows = heatmapRows(epochs)
  const data: Array<[number, number, number, number]> = []
  epochs.forEach((e, x) => rows.forEach((key, y) => {
    const norm = e.layerNorms?.[key]
    if (norm !== undefined && Number.isFinite(norm) && norm > 0) data.push([x, y, Math.log10(norm), norm])
  }))
  const logs = data.map((d) => d[2])
  const min = logs.length ? Math.min(...logs) : 0
  const max = logs.length ? Math.max(...logs) : 1
  const series: HeatmapSeriesOption = { name: 'pre-clip ‖g‖', type: 'heatmap', data, emphasis: { itemStyle: { borderColor: TEXT, borderWidth: 1 } } }
  return {
    animation: false,
    textStyle: { color: TEXT, fontFamily: 'Inter, system-ui, sans-serif' },
    grid: { left: 56, right: 24, top: 12, bottom: 72 },
    tooltip: {
      formatter: (params: unknown) => {
        const value = (params as { value: [number, number, number, number] }).value
        return `epoch ${epochs[value[0]]?.epoch ?? ''} · ${rowLabel(rows[value[1]]!)}: ‖g‖ ${formatNumber(value[3])}`
      },
    },
    xAxis: { type: 'category', name: 'epoch', nameLocation: 'middle', nameGap: 24, data: epochs.map((e) => String(e.epoch)), axisLabel: { color: MUTED }, splitArea: { show: false } },
    yAxis: { type: 'category', data: rows.map(rowLabel), axisLabel: { color: MUTED } },
    visualMap: {
      type: 'continuous',
      dimension: 2,
      min,
      max: max > min ? max : min + 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 4,
      itemHeight: 160,
      itemWidth: 10,
      text: [`‖g‖ ${log10Label(max)}`, log10Label(min)],
      textStyle: { color: MUTED },
      formatter: (value: unknown) => log10Label(Number(value)),
      inRange: { color: ['#f7fbff', '#9ecae1', '#4292c6', '#e07b39', '#b2182b'] },
    },
    series: [series],
  }
}

export interface NormDistribution {
  /** Bin edges in log10 units, one more than counts. */
  edges: number[]
  counts: number[]
}

/** Log-spaced bins over the positive finite norms (an exploding norm is orders of magnitude, not a few percent). */
export function normHistogram(norms: readonly number[], bins = 30): NormDistribution {
  const logs = norms.filter((n) => Number.isFinite(n) && n > 0).map(Math.log10)
  if (logs.length === 0) return { edges: [], counts: [] }
  const lo = Math.min(...logs)
  const hi = Math.max(...logs)
  const width = hi > lo ? (hi - lo) / bins : 1
  const count = hi > lo ? bins : 1
  const counts = new Array<number>(count).fill(0)
  for (const v of logs) counts[Math.min(count - 1, Math.floor((v - lo) / width))]!++
  return { edges: Array.from({ length: count + 1 }, (_, k) => lo + k * width), counts }
}

/** The share of steps the run clipped: each epoch's clipped fraction weighted by its steps. */
export function clippedShare(epochs: readonly EpochRecord[]): number {
  const steps = epochs.map((e) => e.stepNorms?.length ?? 0)
  const total = steps.reduce((a, b) => a + b, 0)
  return total === 0 ? 0 : epochs.reduce((sum, e, k) => sum + e.clippedFraction * steps[k]!, 0) / total
}

/**
 * Every recorded step norm of the run as a histogram on a log axis, the threshold in force at
 * the end of the run as a line, and the share of steps clipped in the title.
 */
export function stepNormDistributionOption(epochs: readonly EpochRecord[], threshold: number | null): EChartsOption {
  const norms = epochs.flatMap((e) => e.stepNorms ?? [])
  const { edges, counts } = normHistogram(norms)
  const series: BarSeriesOption = {
    name: 'steps',
    type: 'bar',
    data: counts.map((c, k) => [(edges[k]! + edges[k + 1]!) / 2, c]),
    barWidth: '90%',
    itemStyle: { color: '#3b6fd6' },
  }
  if (threshold !== null && threshold > 0 && Number.isFinite(threshold)) {
    series.markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: THRESHOLD, type: 'dashed', width: 1.5 },
      label: { formatter: `clip ${formatNumber(threshold)}`, color: THRESHOLD, position: 'insideEndTop' },
      data: [{ xAxis: Math.log10(threshold), name: 'clip threshold' }],
    }
  }
  const span = edges.length ? [edges[0]!, edges[edges.length - 1]!] : [0, 1]
  const lineAt = threshold !== null && threshold > 0 ? [Math.log10(threshold)] : []
  return {
    animation: false,
    textStyle: { color: TEXT, fontFamily: 'Inter, system-ui, sans-serif' },
    title: { text: `${norms.length} steps · ${Math.round(clippedShare(epochs) * 100)}% clipped`, left: 'center', top: 0, textStyle: { fontSize: 12, color: TEXT, fontWeight: 'normal' } },
    grid: { left: 56, right: 24, top: 32, bottom: 40 },
    tooltip: { trigger: 'axis', formatter: (params: unknown) => {
      const [point] = params as Array<{ value: [number, number] }>
      return point ? `‖g‖ ≈ ${formatNumber(10 ** point.value[0])}: ${point.value[1]} steps` : ''
    } },
    xAxis: {
      type: 'value',
      name: 'pre-clip ‖g‖ (log scale)',
      nameLocation: 'middle',
      nameGap: 26,
      min: Math.min(span[0]!, ...lineAt) - 0.05,
      max: Math.max(span[1]!, ...lineAt) + 0.05,
      axisLabel: { color: MUTED, formatter: (v: number) => log10Label(v) },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'steps', nameTextStyle: { color: MUTED }, minInterval: 1, axisLabel: { color: MUTED } },
    series: [series],
  }
}
