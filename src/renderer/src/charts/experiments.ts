import type { EChartsOption, LineSeriesOption } from 'echarts'
import type { EpochRecord } from '../../../shared/api'
import type { RunTable, RunTableCell } from '../../../shared/run-table'
import { columnIndex, columnLabel } from '../lib/run-table'
import { base, finite, PALETTE, valueAxis } from './options'

/** Axes a number column spans this many decades or more are drawn on a log scale (learning rates, clip thresholds). */
const LOG_SPAN = 100

export interface ParallelAxis {
  key: string
  kind: 'value' | 'log' | 'category'
  categories?: string[]
}

/** The settings that differ among the chosen runs, then the metric: the axes of the parallel-coordinates chart. */
export function parallelAxes(table: RunTable, rows: readonly RunTableCell[][], metricKey: string): ParallelAxis[] {
  const axes: ParallelAxis[] = []
  table.columns.forEach((column, index) => {
    if (column.group !== 'setting') return
    const values = rows.map((row) => row[index] ?? null)
    if (new Set(values).size < 2) return
    axes.push(axisFor(column.key, values))
  })
  const metric = columnIndex(table, metricKey)
  if (metric >= 0) axes.push({ ...axisFor(metricKey, rows.map((row) => row[metric] ?? null)), key: metricKey })
  return axes
}

function axisFor(key: string, values: RunTableCell[]): ParallelAxis {
  const present = values.filter((v) => v !== null)
  if (present.every((v) => typeof v === 'number')) {
    const numbers = present as number[]
    const min = Math.min(...numbers)
    const max = Math.max(...numbers)
    return { key, kind: min > 0 && max / min >= LOG_SPAN ? 'log' : 'value' }
  }
  return { key, kind: 'category', categories: [...new Set(present.map(String))].sort() }
}

/** The chosen runs' rows of the run table, in the order of `runIds`. */
export function rowsOfRuns(table: RunTable, runIds: readonly number[]): RunTableCell[][] {
  const byId = new Map(table.rows.map((row) => [row[0], row]))
  return runIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []))
}

/**
 * Parallel coordinates: one axis per setting that differs among the runs and a last axis for
 * the chosen metric; one line per run, coloured by that metric (lower is greener).
 */
export function parallelCoordinatesOption(table: RunTable, runIds: readonly number[], metricKey: string): EChartsOption {
  const rows = rowsOfRuns(table, runIds)
  const axes = parallelAxes(table, rows, metricKey)
  const indexes = axes.map((axis) => columnIndex(table, axis.key))
  const data = rows.map((row) => ({
    name: `#${row[0]}`,
    value: indexes.map((index, a) => {
      const cell = row[index] ?? null
      return axes[a]!.kind === 'category' ? (cell === null ? null : String(cell)) : finite(cell as number | null)
    }),
  }))
  const metricValues = data.map((d) => d.value.at(-1)).filter((v): v is number => typeof v === 'number')
  return {
    ...base(),
    tooltip: { trigger: 'item' },
    parallel: { left: 48, right: 96, top: 36, bottom: 28 },
    parallelAxis: axes.map((axis, dim) => ({
      dim,
      name: axis.key === metricKey ? columnLabel(axis.key) : axis.key,
      type: axis.kind,
      ...(axis.categories ? { data: axis.categories } : { scale: true }),
      nameTextStyle: { fontWeight: axis.key === metricKey ? 'bold' : 'normal' },
    })),
    ...(metricValues.length > 0
      ? {
          visualMap: {
            type: 'continuous',
            dimension: axes.length - 1,
            min: Math.min(...metricValues),
            max: Math.max(...metricValues),
            inRange: { color: ['#2f9e77', '#c9a227', '#d1495b'] },
            right: 8,
            top: 'middle',
            itemHeight: 140,
            // lower losses and errors are better: say so at the ends instead of numbers beside the axis's own
            text: ['higher', 'lower'],
            textStyle: { color: '#8a94a6' },
          },
        }
      : {}),
    series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.85 }, emphasis: { lineStyle: { width: 4 } }, data }],
  } as EChartsOption
}

/** Exponential smoothing, debiased as TensorBoard's: weight 0 leaves the values as they are; gaps stay gaps. */
export function smooth(values: ReadonlyArray<number | null>, weight: number): Array<number | null> {
  let last = 0
  let count = 0
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return null
    last = last * weight + (1 - weight) * value
    count++
    return weight === 0 ? value : last / (1 - weight ** count)
  })
}

export interface RunCurve {
  runId: number
  epochs: readonly EpochRecord[]
}

export type OverlayQuantity = 'loss' | 'gradNorm'

/** Per quantity: the solid and the dashed line of each run, and the y axis name. */
const OVERLAY: Record<OverlayQuantity, { solid: [string, (e: EpochRecord) => number | null]; dashed: [string, (e: EpochRecord) => number | null]; axis: string }> = {
  loss: { solid: ['validation', (e) => e.valLoss], dashed: ['train', (e) => e.trainLoss], axis: 'loss' },
  gradNorm: { solid: ['‖g‖ p95', (e) => e.gradNorm.p95], dashed: ['‖g‖ max', (e) => e.gradNorm.max], axis: 'pre-clip ‖g‖' },
}

/**
 * Several runs' curves overlaid, one colour per run, optionally smoothed: loss (validation
 * solid, train dashed) or the pre-clip gradient norm (p95 solid, max dashed; a log axis when
 * every value is positive, as norms that explode span orders of magnitude).
 */
export function overlayOption(curves: readonly RunCurve[], quantity: OverlayQuantity = 'loss', smoothing = 0): EChartsOption {
  const spec = OVERLAY[quantity]
  const series: LineSeriesOption[] = curves.flatMap(({ runId, epochs }, i) => {
    const color = PALETTE[i % PALETTE.length]!
    const line = ([name, pick]: [string, (e: EpochRecord) => number | null], dashed: boolean): LineSeriesOption => {
      const values = smooth(epochs.map((e) => finite(pick(e))), smoothing)
      return { name: `#${runId} ${name}`, type: 'line', data: epochs.map((e, j) => [e.epoch, values[j] ?? null]), showSymbol: false, lineStyle: { width: 2, color, type: dashed ? 'dashed' : 'solid' }, itemStyle: { color } }
    }
    return [line(spec.solid, false), line(spec.dashed, true)]
  })
  const values = series.flatMap((s) => (s.data as Array<[number, number | null]>).map((point) => point[1])).filter((v): v is number => v !== null)
  const log = quantity === 'gradNorm' && values.length > 0 && values.every((v) => v > 0)
  const lastEpoch = Math.max(1, ...curves.flatMap((c) => c.epochs.map((e) => e.epoch)))
  return {
    ...base(),
    legend: { ...(base().legend as object), type: 'scroll' },
    xAxis: { type: 'value', name: 'epoch', minInterval: 1, min: 1, max: lastEpoch, nameLocation: 'middle', nameGap: 26 },
    yAxis: valueAxis(spec.axis, log ? { type: 'log', scale: false } : {}),
    series,
  }
}

/** One setting (x; categories for choices) against a metric (y), a labelled point per run. */
export function settingScatterOption(table: RunTable, runIds: readonly number[], settingKey: string, metricKey: string): EChartsOption {
  const rows = rowsOfRuns(table, runIds)
  const x = columnIndex(table, settingKey)
  const y = columnIndex(table, metricKey)
  const axis = axisFor(settingKey, rows.map((row) => row[x] ?? null))
  const data = rows.filter((row) => typeof row[y] === 'number' && row[x] !== null).map((row) => ({ name: `#${row[0]}`, value: [axis.kind === 'category' ? String(row[x]) : (row[x] as number), row[y] as number] }))
  return {
    ...base(),
    tooltip: { trigger: 'item' },
    xAxis: axis.kind === 'category' ? { type: 'category', name: settingKey, data: axis.categories, nameLocation: 'middle', nameGap: 26 } : { type: axis.kind, name: settingKey, scale: true, nameLocation: 'middle', nameGap: 26 },
    yAxis: valueAxis(columnLabel(metricKey)),
    series: [{ type: 'scatter', data, symbolSize: 10, label: { show: true, formatter: '{b}', position: 'right', fontSize: 10 } }],
  }
}
