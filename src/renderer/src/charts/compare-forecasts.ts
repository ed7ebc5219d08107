import type { EChartsOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts'
import type { RunGroups, TestForecasts } from '../../../shared/experiments'
import { formatNumber } from './format'
import { base, finite, MUTED, PALETTE, TEXT, valueAxis } from './options'

/** The colour of the actual values under the runs' forecasts. */
export const ACTUAL_COLOR = '#1f2430'

/**
 * Several runs' forecasts over the test period for one target, each at one horizon step (the
 * forecast every row got `step` steps ahead), over the actual values: one colour per run, the
 * actual values in ink. On a time axis, so runs whose test windows differ still line up.
 */
export function testForecastOverlayOption(runs: readonly TestForecasts[], target: string, step: number): EChartsOption {
  const withTarget = runs.filter((r) => r.actual[target] !== undefined && step >= 1 && step <= r.horizon)
  // the actual values of every dataset's rows, once each (runs on one dataset agree on them)
  const actuals = new Map<number, Map<string, number | null>>()
  for (const run of withTarget) {
    const actual = actuals.get(run.datasetId) ?? new Map<string, number | null>()
    actuals.set(run.datasetId, actual)
    run.time.forEach((t, i) => actual.has(t) || actual.set(t, finite(run.actual[target]![i])))
  }
  const series: LineSeriesOption[] = [
    ...[...actuals].map(([datasetId, actual], d): LineSeriesOption => ({
      name: actuals.size > 1 ? `actual (dataset ${datasetId})` : 'actual',
      type: 'line',
      data: [...actual.entries()].sort(([a], [b]) => a.localeCompare(b)),
      showSymbol: false,
      lineStyle: { width: 1.5, color: ACTUAL_COLOR, ...(d > 0 ? { type: 'dotted' as const } : {}) },
      itemStyle: { color: ACTUAL_COLOR },
    })),
    ...withTarget.map((run, i): LineSeriesOption => {
      const color = PALETTE[i % PALETTE.length]!
      const predicted = run.predicted[target]![step - 1]!
      return {
        name: `#${run.runId}`,
        type: 'line',
        data: run.time.flatMap((t, j) => (predicted[j] === null || predicted[j] === undefined ? [] : [[t, predicted[j]!] as [string, number]])),
        showSymbol: false,
        lineStyle: { width: 1.5, color },
        itemStyle: { color },
      }
    }),
  ]
  return {
    ...base(),
    legend: { ...(base().legend as object), type: 'scroll' },
    xAxis: { type: 'time', axisLabel: { color: MUTED } },
    yAxis: valueAxis(target),
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 6 }],
    grid: { left: 64, right: 24, top: 36, bottom: 56 },
    series,
  }
}

/** The lowest and highest MAE over every run's grid: one colour scale, so heatmaps of different runs compare. */
export function heatmapRange(runs: readonly TestForecasts[]): { min: number; max: number } {
  const values = runs.flatMap((r) => r.mae.flat()).filter((v): v is number => v !== null)
  if (values.length === 0) return { min: 0, max: 1 }
  const min = Math.min(...values)
  const max = Math.max(...values)
  return { min, max: max > min ? max : min + 1 }
}

/** One run's MAE per target (rows) and horizon step (columns), coloured on `range`. */
export function maeHeatmapOption(run: TestForecasts, range: { min: number; max: number }): EChartsOption {
  const data: Array<[number, number, number | '-']> = run.mae.flatMap((row, k) => row.map((value, s): [number, number, number | '-'] => [s, k, value === null ? '-' : value]))
  const series: HeatmapSeriesOption = {
    type: 'heatmap',
    name: `#${run.runId} MAE`,
    data,
    label: { show: run.horizon * run.targets.length <= 48, fontSize: 10, formatter: (p) => formatNumber((p.value as number[])[2], 3) },
    emphasis: { itemStyle: { borderColor: TEXT, borderWidth: 1 } },
  }
  return {
    ...base(),
    legend: { show: false },
    tooltip: { trigger: 'item', formatter: (p) => {
      const [s, k, v] = (p as unknown as { value: [number, number, number | '-'] }).value
      return `${run.targets[k]} · step ${s + 1}: MAE ${typeof v === 'number' ? formatNumber(v) : '—'}`
    } },
    grid: { left: 88, right: 16, top: 12, bottom: 78 },
    xAxis: { type: 'category', name: 'horizon step', nameLocation: 'middle', nameGap: 22, data: Array.from({ length: run.horizon }, (_, s) => String(s + 1)), axisLabel: { color: MUTED } },
    yAxis: { type: 'category', data: run.targets, axisLabel: { color: MUTED } },
    visualMap: { min: range.min, max: range.max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemWidth: 10, itemHeight: 120, inRange: { color: ['#e8f4ef', '#c9a227', '#d1495b'] }, textStyle: { color: MUTED } },
    series: [series],
  }
}

/**
 * Each group's loss per epoch as its mean line over a band of ± one standard deviation (the
 * band drawn as an invisible line at mean − std with 2·std stacked on it; no band where a
 * group has one run at that epoch).
 */
export function groupLossBandOption(groups: RunGroups): EChartsOption {
  const series: LineSeriesOption[] = groups.groups.flatMap((group, g) => {
    const color = PALETTE[g % PALETTE.length]!
    const stack = `band-${g}`
    const lower = group.loss.map((s, e) => [e + 1, s.mean === null || s.std === null ? null : s.mean - s.std])
    const width = group.loss.map((s, e) => [e + 1, s.std === null ? null : 2 * s.std])
    const band = { type: 'line' as const, stack, showSymbol: false, silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false } }
    return [
      { ...band, name: `${group.label} (−1 sd)`, data: lower },
      { ...band, name: `${group.label} (± 1 sd)`, data: width, areaStyle: { color, opacity: 0.2 } },
      { name: group.label, type: 'line', data: group.loss.map((s, e) => [e + 1, s.mean]), showSymbol: false, lineStyle: { width: 2, color }, itemStyle: { color } },
    ]
  })
  const epochs = Math.max(1, ...groups.groups.map((g) => g.loss.length))
  return {
    ...base(),
    legend: { ...(base().legend as object), type: 'scroll', data: groups.groups.map((g) => g.label) },
    xAxis: { type: 'value', name: 'epoch', minInterval: 1, min: 1, max: epochs, nameLocation: 'middle', nameGap: 26 },
    yAxis: valueAxis('loss (mean ± 1 sd)'),
    series,
  }
}
