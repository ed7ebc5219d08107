import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts'
import type { Comparison, EpochRecord, Forecast, Metrics, Recovery, Series } from '../../../shared/api'
import { baselineLabel, formatNumber } from './format'

/**
 * Pure chart option builders: data in, an ECharts option out. The chart component only
 * applies them, so every chart can be tested without a canvas.
 */

export const PALETTE = ['#3b6fd6', '#e07b39', '#2f9e77', '#b0479c', '#c9a227', '#5a6b7d', '#d1495b', '#00798c']
export const MUTED = '#8a94a6'
const GRID_LINE = '#e8ebf0'
export const TEXT = '#3d4757'
/** The ink of the light charts and its counterpart on the dark background (forDarkScheme). */
const DARK_INK: Record<string, string> = { [MUTED]: '#98a2b5', [GRID_LINE]: '#2c3444', [TEXT]: '#d5dbe6' }

/** The same chart for the dark scheme: text, axis and grid colours swapped, the data colours kept. */
export function forDarkScheme<T>(option: T): T {
  if (typeof option === 'string') return (DARK_INK[option] ?? option) as T
  if (Array.isArray(option)) return option.map(forDarkScheme) as T
  if (option === null || typeof option !== 'object') return option
  return Object.fromEntries(Object.entries(option).map(([key, value]) => [key, forDarkScheme(value)])) as T
}

export function base(): EChartsOption {
  return {
    color: PALETTE,
    animation: false,
    textStyle: { color: TEXT, fontFamily: 'Inter, system-ui, sans-serif' },
    grid: { left: 64, right: 24, top: 36, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => (typeof value === 'number' ? formatNumber(value) : String(value ?? '—')) },
    legend: { top: 4, left: 'center', icon: 'roundRect', itemWidth: 12, itemHeight: 4, textStyle: { color: TEXT } },
  }
}

export function valueAxis(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 46,
    nameRotate: 90,
    nameTextStyle: { color: MUTED },
    splitLine: { lineStyle: { color: GRID_LINE } },
    // enough digits that neighbouring ticks differ (1,016.5 vs 1,017, not 1,020 twice)
    axisLabel: { color: MUTED, formatter: (v: number) => formatNumber(v, Math.abs(v) >= 100 ? 6 : 3) },
    scale: true,
    ...extra,
  }
}

/** A finite number or null (ECharts draws a gap), never NaN or Infinity. */
export function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Loss per epoch (train and validation) with each recovery marked where it happened. */
export function lossChartOption(epochs: readonly EpochRecord[], recoveries: readonly Recovery[] = []): EChartsOption {
  const train: Array<[number, number | null]> = epochs.map((e) => [e.epoch, finite(e.trainLoss)])
  const val: Array<[number, number | null]> = epochs.map((e) => [e.epoch, finite(e.valLoss)])
  const series: LineSeriesOption[] = [
    { name: 'train loss', type: 'line', data: train, showSymbol: epochs.length < 40, symbolSize: 5, lineStyle: { width: 2 } },
    { name: 'validation loss', type: 'line', data: val, showSymbol: epochs.length < 40, symbolSize: 5, lineStyle: { width: 2 } },
  ]
  if (recoveries.length > 0) {
    series[0]!.markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: '#d1495b', type: 'dashed' },
      label: { formatter: 'recovery', color: '#d1495b', position: 'insideEndTop' },
      data: recoveries.map((r) => ({ xAxis: r.epoch, name: r.reason })),
    }
  }
  return {
    ...base(),
    xAxis: { type: 'value', name: 'epoch', minInterval: 1, min: 1, max: Math.max(1, epochs.length > 0 ? epochs[epochs.length - 1]!.epoch : 1), nameLocation: 'middle', nameGap: 26, axisLabel: { color: MUTED }, splitLine: { show: false } },
    yAxis: valueAxis('loss'),
    series,
  }
}

export interface StepNorm {
  /** Fractional epoch: epoch − 1 + step / stepsPerEpoch, so steps sit between epoch marks. */
  x: number
  norm: number
}

/**
 * Pre-clip gradient norms: per-epoch p50, p95 and max, every recorded step as a faint dot,
 * and the clip threshold as a dashed line. A log axis when all values are positive: an
 * exploding gradient is orders of magnitude, not a few percent.
 */
export function gradNormChartOption(epochs: readonly EpochRecord[], threshold: number | null, steps: readonly StepNorm[] = []): EChartsOption {
  const values = [...epochs.flatMap((e) => [e.gradNorm.p50, e.gradNorm.p95, e.gradNorm.max]), ...steps.map((s) => s.norm), ...(threshold !== null ? [threshold] : [])]
  const finiteValues = values.filter((v) => Number.isFinite(v))
  const logScale = finiteValues.length > 0 && finiteValues.every((v) => v > 0)
  const line = (name: string, pick: (e: EpochRecord) => number, width: number): LineSeriesOption => ({
    name,
    type: 'line',
    data: epochs.map((e) => [e.epoch, finite(pick(e))]),
    showSymbol: epochs.length < 40,
    symbolSize: 4,
    lineStyle: { width },
    z: 3,
  })
  const series: Array<LineSeriesOption | ScatterSeriesOption> = [
    line('p50', (e) => e.gradNorm.p50, 2),
    line('p95', (e) => e.gradNorm.p95, 1.5),
    line('max', (e) => e.gradNorm.max, 1),
  ]
  if (steps.length > 0) {
    series.push({
      name: 'steps',
      type: 'scatter',
      data: steps.filter((s) => Number.isFinite(s.norm) && (!logScale || s.norm > 0)).map((s) => [s.x, s.norm]),
      symbolSize: 3,
      itemStyle: { color: MUTED, opacity: 0.35 },
      z: 1,
      large: true,
    })
  }
  if (threshold !== null && Number.isFinite(threshold)) {
    series[0]!.markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { color: '#d1495b', type: 'dashed', width: 1.5 },
      label: { formatter: `clip ${formatNumber(threshold)}`, color: '#d1495b', position: 'insideEndTop' },
      data: [{ yAxis: threshold, name: 'clip threshold' }],
    }
  }
  const lastEpoch = Math.max(1, epochs.length > 0 ? epochs[epochs.length - 1]!.epoch : 0, ...steps.map((s) => Math.ceil(s.x)))
  return {
    ...base(),
    xAxis: { type: 'value', name: 'epoch', min: 0, max: lastEpoch, minInterval: 1, nameLocation: 'middle', nameGap: 26, axisLabel: { color: MUTED }, splitLine: { show: false } },
    yAxis: valueAxis('pre-clip ‖g‖', logScale ? { type: 'log', scale: false } : {}),
    series,
  }
}

/** Per-horizon MAE of each run side by side (solid), with the first run's baselines (dashed). */
export function perHorizonChartOption(comparison: Comparison): EChartsOption {
  const test = comparison.perHorizon['test.mae'] ?? []
  const steps = Math.max(0, ...test.map((r) => r.length))
  const categories = Array.from({ length: steps }, (_, i) => String(i + 1))
  const series: LineSeriesOption[] = comparison.runs.map((run, i) => ({
    name: `run ${run.id}`,
    type: 'line',
    data: (test[i] ?? []).map((v) => finite(v)),
    showSymbol: steps < 50,
    symbolSize: 5,
    lineStyle: { width: 2 },
  }))
  for (const [name, dash] of [['naive', 'dashed'], ['seasonalNaive', 'dotted'], ['drift', 'dashed'], ['linear', 'dotted']] as const) {
    const label = baselineLabel(name).toLowerCase()
    const first = comparison.perHorizon[`${name}.mae`]?.[0]
    if (first && first.some((v) => v !== null)) {
      series.push({ name: label, type: 'line', data: first.map((v) => finite(v)), showSymbol: false, lineStyle: { type: dash, width: 1.5, color: MUTED }, itemStyle: { color: MUTED } })
    }
  }
  return {
    ...base(),
    xAxis: { type: 'category', name: 'horizon step', data: categories, nameLocation: 'middle', nameGap: 26, axisLabel: { color: MUTED } },
    yAxis: valueAxis('MAE'),
    series,
  }
}

/** One run's per-horizon MAE against its baselines. */
export function runHorizonChartOption(metrics: Metrics | null, baselines: Record<string, Metrics> | null): EChartsOption {
  const steps = metrics?.perHorizon.map((p) => p.step) ?? []
  const series: LineSeriesOption[] = []
  if (metrics) series.push({ name: 'model', type: 'line', data: metrics.perHorizon.map((p) => finite(p.mae)), lineStyle: { width: 2 }, showSymbol: steps.length < 50 })
  for (const [name, m] of Object.entries(baselines ?? {})) {
    series.push({ name: baselineLabel(name).toLowerCase(), type: 'line', data: m.perHorizon.map((p) => finite(p.mae)), lineStyle: { type: 'dashed', width: 1.5 }, showSymbol: false })
  }
  return {
    ...base(),
    xAxis: { type: 'category', name: 'horizon step', data: steps.map(String), nameLocation: 'middle', nameGap: 26, axisLabel: { color: MUTED } },
    yAxis: valueAxis('MAE'),
    series,
  }
}

/** Rows of a small-multiples chart: one panel per column, because columns differ in scale (hPa vs m/s). */
export const PANEL_HEIGHT_PX = 96
const PANEL_GAP_PX = 28
const PANEL_TOP_PX = 36

/** The pixel height a stacked chart of `panels` rows needs. */
export function stackedChartHeight(panels: number, withZoom = false): number {
  return PANEL_TOP_PX + Math.max(1, panels) * (PANEL_HEIGHT_PX + PANEL_GAP_PX) + (withZoom ? 44 : 8)
}

export function stackedAxes(names: string[], withZoom: boolean): Pick<EChartsOption, 'grid' | 'xAxis' | 'yAxis' | 'dataZoom'> {
  const indices = names.map((_, i) => i)
  return {
    grid: names.map((_, i) => ({ left: 72, right: 24, top: PANEL_TOP_PX + i * (PANEL_HEIGHT_PX + PANEL_GAP_PX), height: PANEL_HEIGHT_PX })),
    xAxis: names.map((_, i) => ({
      type: 'time' as const,
      gridIndex: i,
      axisLabel: { color: MUTED, hideOverlap: true, show: i === names.length - 1 },
      axisTick: { show: i === names.length - 1 },
      splitLine: { show: false },
    })),
    yAxis: names.map((name, i) => ({ ...valueAxis(name), gridIndex: i, splitNumber: 2 })) as EChartsOption['yAxis'],
    dataZoom: withZoom ? [{ type: 'inside', xAxisIndex: indices }, { type: 'slider', xAxisIndex: indices, height: 18, bottom: 8 }] : [],
  }
}

/** A dataset's columns over time (already downsampled by the host), one panel per column. */
export function seriesChartOption(series: Series): EChartsOption {
  const names = Object.keys(series.columns)
  return {
    ...base(),
    tooltip: { trigger: 'axis', axisPointer: { link: [{ xAxisIndex: 'all' }] } },
    ...stackedAxes(names, true),
    series: names.map((name, i) => ({
      name,
      type: 'line',
      xAxisIndex: i,
      yAxisIndex: i,
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: { width: 1.25 },
      data: series.time.map((t, j) => [t, finite(series.columns[name]![j])]),
    })),
  }
}

/** The end of the history and the forecast that continues it, one panel per target. */
export function forecastChartOption(history: Series | null, forecast: Forecast): EChartsOption {
  const names = Object.keys(forecast.values)
  const series: LineSeriesOption[] = []
  names.forEach((name, i) => {
    const color = PALETTE[i % PALETTE.length]!
    const past = history?.columns[name]
    if (history && past) {
      series.push({ name: `${name} (history)`, type: 'line', xAxisIndex: i, yAxisIndex: i, showSymbol: false, lineStyle: { width: 1.25, color }, itemStyle: { color }, data: history.time.map((t, j) => [t, finite(past[j])]) })
    }
    series.push(...intervalBands(forecast, name, i, color))
    series.push(forecastLine(forecast, name, i, color, 'forecast'))
  })
  return {
    ...base(),
    legend: { show: false },
    tooltip: { trigger: 'axis', axisPointer: { link: [{ xAxisIndex: 'all' }] } },
    ...stackedAxes(names, false),
    series,
  }
}

/** A forecast's values for one target as a dashed line in its panel (symbols while they stay readable). */
export function forecastLine(forecast: Forecast, name: string, panel: number, color: string, role: string): LineSeriesOption {
  return {
    name: `${name} (${role})`,
    type: 'line',
    xAxisIndex: panel,
    yAxisIndex: panel,
    showSymbol: forecast.time.length < 60,
    symbolSize: 4,
    lineStyle: { width: 2, type: 'dashed', color },
    itemStyle: { color },
    data: forecast.time.map((t, j) => [t, finite(forecast.values[name]![j])]),
  }
}

/**
 * A target's prediction intervals as shaded bands, widest first: per level, an invisible
 * line at the lower bound and the band's width stacked on it (ECharts fills between them).
 */
export function intervalBands(forecast: Forecast, name: string, panel: number, color: string): LineSeriesOption[] {
  const levels = Object.keys(forecast.intervals ?? {}).sort((a, b) => Number(b) - Number(a))
  return levels.flatMap((level, k): LineSeriesOption[] => {
    const band = forecast.intervals![level]!
    const lower = band.lower[name]
    const upper = band.upper[name]
    if (!lower || !upper) return []
    const stack = `${name}-${level}`
    const common = { type: 'line' as const, xAxisIndex: panel, yAxisIndex: panel, stack, showSymbol: false, silent: true, lineStyle: { opacity: 0 } }
    return [
      { ...common, name: `${name} (${level}% lower)`, data: forecast.time.map((t, j) => [t, finite(lower[j])]) },
      {
        ...common,
        name: `${name} (${level}% interval)`,
        areaStyle: { color, opacity: 0.18 + 0.12 * k },
        data: forecast.time.map((t, j) => [t, finite(upper[j]! - lower[j]!)]),
      },
    ]
  })
}
