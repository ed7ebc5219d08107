import type { Frequency } from '../../shared/api'
import type { ForecastBlock } from './metrics'

/**
 * The two reference forecasts every run is scored against, on exactly the model's test
 * windows. Both read the raw target series (original units) up to and including each
 * window's origin — the last row of its lookback — and never a row after it.
 */

/** Seasonal period of the seasonal-naive baseline for a frequency; null when it has none. */
export function seasonForFrequency(frequency: Frequency): number | null {
  switch (frequency) {
    case 'hourly':
      return 24
    case 'daily':
      return 7
    case 'business-daily':
      return 5
    case 'weekly':
      return 52
    case 'monthly':
      return 12
    case 'quarterly':
      return 4
    case 'minutely':
      return 60
    case 'secondly':
      return 60
    case 'yearly':
    case 'irregular':
      return null
    default: {
      // `every Nms`: a daily cycle when the step divides a day into a whole number of steps
      const stepMs = Number(/^every (\d+(?:\.\d+)?)ms$/.exec(frequency)?.[1])
      const dayMs = 86_400_000
      if (!(stepMs > 0) || stepMs >= dayMs || dayMs % stepMs !== 0) return null
      return dayMs / stepMs
    }
  }
}

/**
 * Naive forecast: every step of the horizon repeats the last observed (finite) value at or
 * before the origin. `series[k]` is target k's full column; `origins[w]` the row index of
 * window w's last input row. NaN when nothing was observed yet.
 */
export function naiveForecast(series: readonly Float64Array[], origins: readonly number[], horizon: number): ForecastBlock {
  const targets = series.length
  const values = new Float64Array(origins.length * horizon * targets)
  origins.forEach((origin, w) => {
    series.forEach((column, k) => {
      const last = lastObserved(column, origin, 1)
      for (let s = 0; s < horizon; s++) values[(w * horizon + s) * targets + k] = last
    })
  })
  return { values, windows: origins.length, horizon, targets }
}

/**
 * Seasonal naive forecast (Hyndman & Athanasopoulos, FPP3 §5.2): step h from origin T is
 * y[T + h − m·⌈h/m⌉], the value one season before, from the last observed season. A missing
 * value there falls back whole seasons further into the past; NaN when none is observed.
 */
export function seasonalNaiveForecast(series: readonly Float64Array[], origins: readonly number[], horizon: number, period: number): ForecastBlock {
  if (!Number.isInteger(period) || period < 1) throw new RangeError(`seasonalNaiveForecast: period must be a positive integer, got ${period}`)
  const targets = series.length
  const values = new Float64Array(origins.length * horizon * targets)
  origins.forEach((origin, w) => {
    series.forEach((column, k) => {
      for (let s = 0; s < horizon; s++) {
        const h = s + 1
        const source = origin + h - period * Math.ceil(h / period)
        values[(w * horizon + s) * targets + k] = lastObserved(column, source, period)
      }
    })
  })
  return { values, windows: origins.length, horizon, targets }
}

/** The value at `index`, or the nearest finite one `stride` rows at a time into the past. */
function lastObserved(column: Float64Array, index: number, stride: number): number {
  for (let i = Math.min(index, column.length - 1); i >= 0; i -= stride) {
    const value = column[i]!
    if (Number.isFinite(value)) return value
  }
  return NaN
}

/**
 * Drift forecast (FPP3 §5.2, over the lookback window rather than the whole history): the
 * last observed value plus h times the window's mean step, (y_T − y_first) / (T − first),
 * where `first` is the window's first observed row. With fewer than two observed values in
 * the window it is the naive forecast.
 */
export function driftForecast(series: readonly Float64Array[], origins: readonly number[], horizon: number, lookback: number): ForecastBlock {
  const targets = series.length
  const values = new Float64Array(origins.length * horizon * targets)
  origins.forEach((origin, w) => {
    series.forEach((column, k) => {
      const windowStart = Math.max(0, origin - lookback + 1)
      let last = -1
      for (let i = Math.min(origin, column.length - 1); i >= windowStart && last < 0; i--) if (Number.isFinite(column[i]!)) last = i
      let first = -1
      for (let i = windowStart; i < last && first < 0; i++) if (Number.isFinite(column[i]!)) first = i
      const lastValue = last < 0 ? lastObserved(column, origin, 1) : column[last]!
      const slope = first < 0 ? 0 : (lastValue - column[first]!) / (last - first)
      for (let s = 0; s < horizon; s++) values[(w * horizon + s) * targets + k] = lastValue + slope * (origin - (last < 0 ? origin : last) + s + 1)
    })
  })
  return { values, windows: origins.length, horizon, targets }
}
