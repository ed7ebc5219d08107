import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { Forecast, TestPeriod } from '../../../shared/api'
import { base, finite, forecastLine, intervalBands, MUTED, PALETTE, stackedAxes } from './options'

/** One test window as the run view shows it: which window, its origin, its steps' times, and per target the actuals, the prediction and its bounds. */
export interface TestWindowView {
  /** The window's place in `period.windows`, clamped into range: the one description of which window it is. */
  index: number
  /** The origin's row in `period.actual`. */
  at: number
  origin: string
  time: string[]
  actual: Record<string, Array<number | null>>
  /** A forecast from the window's origin, so the forecast chart's bands draw it. */
  forecast: Forecast
  /** Mean absolute error over the window's finite pairs, per target; null when none. */
  mae: Record<string, number | null>
}

/** The window at `index` (clamped into range) of a run's test part; null without windows. */
export function testWindowView(period: TestPeriod, index: number): TestWindowView | null {
  if (period.windows.length === 0) return null
  const chosen = Math.min(period.windows.length - 1, Math.max(0, Math.round(index)))
  const w = period.windows[chosen]!
  const steps = Array.from({ length: period.horizon }, (_, s) => w.at + 1 + s)
  const time = steps.map((row) => period.actual.time[row]!)
  const actual: TestWindowView['actual'] = {}
  const mae: TestWindowView['mae'] = {}
  for (const name of period.targets) {
    actual[name] = steps.map((row) => period.actual.values[name]?.[row] ?? null)
    const pairs = actual[name]!.flatMap((a, s) => (a === null ? [] : [Math.abs(a - w.predicted[name]![s]!)]))
    mae[name] = pairs.length === 0 ? null : pairs.reduce((x, y) => x + y, 0) / pairs.length
  }
  const forecast: Forecast = { runId: period.runId, origin: period.actual.time[w.at]!, horizon: period.horizon, time, values: w.predicted }
  const intervals = period.intervals
  if (intervals) {
    const targets = period.targets.length
    forecast.intervals = Object.fromEntries(
      intervals.levels.map((level) => {
        // the window's own half-widths (calibrated at its origin); the run's on older stored periods
        const halfWidth = w.halfWidth?.[String(level)] ?? intervals.halfWidth[String(level)]!
        const bound = (sign: number) => Object.fromEntries(period.targets.map((name, k) => [name, w.predicted[name]!.map((value, s) => value + sign * halfWidth[s * targets + k]!)]))
        return [String(level), { lower: bound(-1), upper: bound(1) }]
      }),
    )
  }
  return { index: chosen, at: w.at, origin: forecast.origin, time, actual, forecast, mae }
}

/** Horizons of observed rows drawn before the window's origin and after its last step. */
export const CONTEXT_HORIZONS = 4

/** The rows [from, to) of `actual` drawn around the window `view`: CONTEXT_HORIZONS horizons either side; every row without one. */
export function contextRows(period: TestPeriod, view: TestWindowView | null): { from: number; to: number } {
  const rows = period.actual.time.length
  if (!view) return { from: 0, to: rows }
  const context = CONTEXT_HORIZONS * period.horizon
  return { from: Math.max(0, view.at - context), to: Math.min(rows, view.at + period.horizon + 1 + context) }
}

/**
 * The test part around the chosen window, one panel per target: the observed rows as a line
 * (contextRows), and the prediction (with its interval bands) from the window's origin, marked
 * by a vertical line. The slider moves the window through the whole test part. `view`
 * (testWindowView, which the caller has built for its own text already) is the one thing that
 * says which window; null draws every observed row and no prediction.
 */
export function testPeriodChartOption(period: TestPeriod, view: TestWindowView | null): EChartsOption {
  const { from, to } = contextRows(period, view)
  const time = period.actual.time.slice(from, to)
  const series: LineSeriesOption[] = []
  period.targets.forEach((name, i) => {
    const color = PALETTE[i % PALETTE.length]!
    series.push({
      name: `${name} (actual)`,
      type: 'line',
      xAxisIndex: i,
      yAxisIndex: i,
      showSymbol: false,
      lineStyle: { width: 1.25, color: MUTED },
      itemStyle: { color: MUTED },
      data: time.map((t, j) => [t, finite(period.actual.values[name]?.[from + j])]),
      ...(view ? { markLine: { silent: true, symbol: 'none', lineStyle: { color: MUTED, type: 'dotted' }, label: { show: false }, data: [{ xAxis: view.origin }] } } : {}),
    })
    if (!view) return
    series.push(...intervalBands(view.forecast, name, i, color))
    series.push(forecastLine(view.forecast, name, i, color, 'predicted'))
  })
  return { ...base(), legend: { show: false }, tooltip: { trigger: 'axis', axisPointer: { link: [{ xAxisIndex: 'all' }] } }, ...stackedAxes(period.targets, false), series }
}
