import type { DatasetColumn, Frequency, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { columnStats, type NumericColumnBuilder } from './columns'
import { describeGap, inferFrequency } from './frequency'
import { pivotLong, splitsDuplicates, type TextCodes } from './long-format'
import { gather, orderByTime } from './time-order'
import { toWallClock } from './time-zone'
import { formatTime } from './timestamps'

export interface BuiltColumns {
  times: Float64Array
  columns: DatasetColumn[]
  values: Float64Array[]
  frequency: Frequency
  warnings: Warning[]
}

interface ReadColumn {
  name: string
  builder: NumericColumnBuilder
}

function countMissing(values: Float64Array): number {
  let missing = 0
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) missing++
  return missing
}

function textWarning(textColumns: string[]): Warning[] {
  return textColumns.length > 0 ? [{ code: 'TEXT_COLUMNS', message: `Text columns kept out of the numeric data: ${textColumns.map((n) => JSON.stringify(n)).join(', ')}.` }] : []
}

/** Rows in time order, one per time; a text column that tells the repeats apart makes them a long-format file instead. */
function wideColumns(times: Float64Array, read: ReadColumn[], coded: ReadonlyArray<{ name: string; codes: TextCodes }>): Omit<BuiltColumns, 'frequency'> {
  const warnings: Warning[] = []
  const order = orderByTime(times)
  if (order.unsorted > 0) warnings.push({ code: 'UNSORTED_TIMESTAMPS', message: `Rows were not in time order (${order.unsorted} steps go back in time); they were sorted.` })
  if (order.duplicates > 0 && order.firstDuplicate) {
    const splitter = coded.find((c) => splitsDuplicates(times, c.codes))
    if (splitter !== undefined) {
      throw new ClipcastError('DUPLICATE_TIMESTAMPS', `${order.duplicates} rows repeat an earlier timestamp (first: ${formatTime(order.firstDuplicate.time)}), and the column ${JSON.stringify(splitter.name)} tells them apart: this looks like one row per series and time.`, {
        hint: `Choose ${splitter.name} as {seriesColumn} to get one column per ${splitter.name}.`,
        details: { seriesColumn: splitter.name, duplicates: order.duplicates, firstTime: formatTime(order.firstDuplicate.time), settings: ['seriesColumn'] },
      })
    }
    warnings.push({
      code: 'DUPLICATE_TIMESTAMPS',
      message: `${order.duplicates} rows repeat an earlier timestamp (first: ${formatTime(order.firstDuplicate.time)}); the first row of each time was kept and the repeats dropped.`,
    })
  }
  const take = order.take
  const columns: DatasetColumn[] = []
  const values: Float64Array[] = []
  const textColumns: string[] = []
  for (const { name, builder } of read) {
    if (builder.isText()) {
      builder.values.release()
      columns.push({ name, kind: 'text', missing: builder.missing })
      textColumns.push(name)
      continue
    }
    const column = take !== undefined ? gather(builder.values.view(), take) : builder.values.view()
    // once reordered, the column as read is garbage: freeing it column by column keeps the peak at one extra column
    if (take !== undefined) builder.values.release()
    const stats = columnStats(column)
    columns.push({ name, kind: 'numeric', missing: take !== undefined ? countMissing(column) : builder.missing, ...(stats ? { stats } : {}) })
    values.push(column)
  }
  return { times: take !== undefined ? gather(times, take) : times, columns, values, warnings: [...warnings, ...textWarning(textColumns)] }
}

function longColumns(times: Float64Array, read: ReadColumn[], series: { name: string; codes: TextCodes }): Omit<BuiltColumns, 'frequency'> {
  const numeric = read.filter((r) => !r.builder.isText())
  const textColumns = read.filter((r) => r.builder.isText()).map((r) => r.name)
  if (series.codes.overflowed) {
    throw new ClipcastError('BAD_REQUEST', `The series column ${JSON.stringify(series.name)} holds more distinct values than a dataset can have columns.`, { hint: 'Choose the column that names the series (a symbol or id) as {seriesColumn}, or import without one.', details: { settings: ['seriesColumn'] } })
  }
  const pivot = pivotLong(times, series.codes, numeric.map((r) => ({ name: r.name, values: r.builder.values.view() })))
  const warnings: Warning[] = [
    { code: 'LONG_FORMAT', message: `One row per ${series.name} and time: pivoted into ${pivot.columns.length} columns over ${pivot.times.length} times.` },
    ...textWarning(textColumns),
  ]
  if (pivot.duplicates > 0) warnings.push({ code: 'DUPLICATE_TIMESTAMPS', message: `${pivot.duplicates} rows repeat a time of their ${series.name}; the first row was kept.` })
  const columns: DatasetColumn[] = pivot.columns.map(({ name, values }) => {
    const stats = columnStats(values)
    return { name, kind: 'numeric', missing: countMissing(values), ...(stats ? { stats } : {}) }
  })
  return { times: pivot.times, columns, values: pivot.columns.map((c) => c.values), warnings }
}

function frequencyWarnings(report: ReturnType<typeof inferFrequency>): Warning[] {
  const warnings: Warning[] = []
  if (report.gaps.count > 0 && report.gaps.first) {
    const first = report.gaps.first
    const unit = report.frequency === 'business-daily' ? 'business day' : 'step'
    warnings.push({ code: 'GAPS', message: `${report.gaps.count} gap${report.gaps.count === 1 ? '' : 's'} in the ${report.frequency} timestamps; the first is ${describeGap(first)} (${first.missingSteps} missing ${unit}${first.missingSteps === 1 ? '' : 's'}).` })
  }
  if (report.irregular.count > 0 && report.irregular.first) {
    warnings.push({ code: 'IRREGULAR_TIMESTAMPS', message: `${report.irregular.count} time steps do not fit the ${report.frequency === 'irregular' ? 'median' : report.frequency} step; the first is ${describeGap(report.irregular.first)}.` })
  }
  return warnings
}

/** The dataset's columns from what was read: sorted (or pivoted), stats, frequency, and the warnings on the way. */
export function buildColumns(
  times: Float64Array,
  read: ReadColumn[],
  coded: ReadonlyArray<{ name: string; codes: TextCodes }>,
  { seriesColumn, fileName, timeName, timeZone }: { seriesColumn?: string; fileName: string; timeName: string; timeZone?: string },
): BuiltColumns {
  const series = seriesColumn !== undefined ? coded.find((c) => c.name === seriesColumn) : undefined
  const built = series !== undefined ? longColumns(times, read.filter((r) => r.name !== seriesColumn), series) : wideColumns(times, read, coded)
  if (built.values.length === 0) {
    const text = built.columns.filter((c) => c.kind === 'text').map((c) => JSON.stringify(c.name))
    throw new ClipcastError('CSV_NO_NUMERIC_COLUMNS', `${fileName} has no numeric column besides the time column ${JSON.stringify(timeName)}${text.length > 0 ? `; ${text.join(', ')} hold text` : ''}.`, {
      hint: 'A dataset needs at least one numeric column to forecast; check {delimiter} and {decimal}.',
      details: { settings: ['delimiter', 'decimal'] },
    })
  }
  const detected = detectFrequency(built.times, timeZone)
  return { ...built, frequency: detected.frequency, warnings: [...built.warnings, ...detected.warnings] }
}

/** Codes of the warnings detectFrequency gives: what a new detection replaces. */
export const FREQUENCY_WARNING_CODES: readonly string[] = ['GAPS', 'IRREGULAR_TIMESTAMPS']

/** The frequency of sorted times (UTC epoch ms) in the dataset's zone, and the warnings about its gaps and irregular steps. */
export function detectFrequency(times: Float64Array, timeZone: string | undefined): { frequency: Frequency; warnings: Warning[] } {
  // local midnights of a daily or monthly series fall at different UTC hours in summer and winter: steps of a
  // day or more are measured on the wall clock; shorter ones in UTC, where the repeated autumn hour is distinct
  const utcReport = inferFrequency(times)
  const daysOrMore = utcReport.stepMs === undefined || utcReport.stepMs >= 23 * 3_600_000
  const report = timeZone !== undefined && daysOrMore ? inferFrequency(toWallClock(timeZone, times)) : utcReport
  return { frequency: report.frequency, warnings: frequencyWarnings(report) }
}
