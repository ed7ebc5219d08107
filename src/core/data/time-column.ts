import { ClipcastError } from '../../shared/errors'
import { detectCompositeTime, namedCompositeTime, type TimeSpec } from './time-composite'
import { EPOCH_FORMAT } from './time-formats'
import { compileTimeFormat, detectTimeFormat, parseEpochNumber, timeParser, type TimeDetection, type TimeFormat } from './timestamps'

export type { TimeSpec } from './time-composite'

const TIME_NAME = /time|date|stamp|epoch|unix|year|period|quarter|month|week|^ts$|^t$|^ds$/i

export function singleColumn(names: readonly string[], index: number, format: TimeFormat): TimeSpec {
  const parse = timeParser(format)
  return { indices: [index], names: [names[index]!], format, read: (record) => parse(record[index]!.trim()) }
}

function unknownColumn(requested: string, names: readonly string[]): ClipcastError {
  return new ClipcastError('UNKNOWN_COLUMN', `There is no column ${JSON.stringify(requested)}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}.`, {
    hint: 'Choose one of those names as {timeColumn} (several, comma-separated, for year,quarter-style time).',
    details: { columns: [...names], settings: ['timeColumn'] },
  })
}

/**
 * Picks the time from the header and a sample of rows: the requested column(s), else
 * year + quarter-style columns found by their names, else the first column (time-like names
 * first) whose sample cells all parse as timestamps. `03/04/2024` is refused until a
 * day/month order is given; a sample that several formats fit is refused with its candidates.
 */
export function chooseTimeColumn(names: readonly string[], sampleRows: readonly string[][], request: { timeColumn?: string; timeFormat?: string }): TimeSpec {
  const cellsOf = (index: number): string[] => sampleRows.map((row) => row[index] ?? '')
  const explicitFormat = request.timeFormat !== undefined ? compileTimeFormat(request.timeFormat) : undefined
  if (request.timeColumn !== undefined) {
    const requested = request.timeColumn.split(',').map((n) => n.trim()).filter((n) => n !== '')
    const indices = requested.map((n) => {
      const index = names.indexOf(n)
      if (index < 0) throw unknownColumn(n, names)
      return index
    })
    if (indices.length > 1) return namedCompositeTime(names, indices, sampleRows)
    return namedColumn(names, indices[0]!, cellsOf(indices[0]!), explicitFormat)
  }
  if (explicitFormat === undefined) {
    const composite = detectCompositeTime(names, sampleRows)
    if (composite !== undefined) return composite
  }
  const order = names.map((_, i) => i).sort((a, b) => Number(!TIME_NAME.test(names[a]!)) - Number(!TIME_NAME.test(names[b]!)) || a - b)
  for (const index of order) {
    const name = names[index]!
    if (explicitFormat !== undefined) {
      const parse = timeParser(explicitFormat)
      const cells = cellsOf(index).map((c) => c.trim()).filter((c) => c !== '')
      if (cells.length > 0 && cells.every((c) => !Number.isNaN(parse(c)))) return singleColumn(names, index, explicitFormat)
      continue
    }
    const detection = detectTimeFormat(name, cellsOf(index))
    if (detection.kind === 'format') return singleColumn(names, index, detection.format)
    if (detection.kind === 'ambiguous-order') throw ambiguousOrder(name, detection)
    if (detection.kind === 'ambiguous') throw ambiguousTime(name, detection)
  }
  const tried = names.map((n) => JSON.stringify(n)).join(', ')
  throw new ClipcastError(
    'CSV_NO_TIME_COLUMN',
    `No column parses as time${explicitFormat ? ` with the format ${JSON.stringify(request.timeFormat)}` : ''}; tried ${tried}.`,
    {
      hint: 'Name the time column as {timeColumn} (year,quarter for time in several columns), and choose {timeFormat} if its dates are not recognised (e.g. DD/MM/YYYY or Luxon tokens such as MMM-d-yyyy).',
      details: { tried: [...names], settings: ['timeColumn', 'timeFormat'] },
    },
  )
}

function namedColumn(names: readonly string[], index: number, cells: string[], explicitFormat: TimeFormat | undefined): TimeSpec {
  const name = names[index]!
  if (explicitFormat !== undefined) return singleColumn(names, index, explicitFormat)
  const detection = detectTimeFormat(name, cells, true)
  if (detection.kind === 'format') return singleColumn(names, index, detection.format)
  if (detection.kind === 'ambiguous-order') throw ambiguousOrder(name, detection)
  if (detection.kind === 'ambiguous') throw ambiguousTime(name, detection)
  // the user named the column: plain numbers are accepted as epoch time whatever the name
  if (cells.every((c) => c.trim() === '' || Math.abs(parseEpochNumber(c.trim())) >= 1e8)) return singleColumn(names, index, EPOCH_FORMAT)
  const bad = cells.find((c) => c.trim() !== '' && Number.isNaN(parseEpochNumber(c.trim())))
  throw new ClipcastError('CSV_BAD_TIMESTAMP', `The time column ${JSON.stringify(name)} has values that are not timestamps${bad !== undefined ? `, e.g. ${JSON.stringify(bad)}` : ''}.`, {
    hint: 'Choose {timeFormat} (e.g. DD/MM/YYYY HH:MM, or Luxon tokens such as MMM-d-yyyy), or another {timeColumn}.',
    details: { column: name, settings: ['timeFormat', 'timeColumn'] },
  })
}

function ambiguousTime(name: string, detection: Extract<TimeDetection, { kind: 'ambiguous' }>): ClipcastError {
  const candidates = detection.candidates.map((c) => c.tokens ?? c.kind)
  return new ClipcastError('CSV_AMBIGUOUS_TIME', `The column ${JSON.stringify(name)} such as ${JSON.stringify(detection.example)} fits several time formats: ${detection.candidates.map((c) => c.label).join('; ')}.`, {
    hint: `Choose one as {timeFormat} (${candidates.map((c) => JSON.stringify(c === 'epoch' ? 'epoch-ms' : c)).join(' or ')}).`,
    details: { column: name, example: detection.example, candidates, settings: ['timeFormat'] },
  })
}

/** Slash or dot dates no one order settles: every number could be a month (ask), or both places pass 12 (no order reads them all). */
function ambiguousOrder(name: string, detection: Extract<TimeDetection, { kind: 'ambiguous-order' }>): ClipcastError {
  const details = { column: name, example: detection.example, settings: ['timeFormat'] }
  if (detection.dayFirstOnly && detection.monthFirstOnly) {
    return new ClipcastError('CSV_AMBIGUOUS_DATE_ORDER', `The dates of column ${JSON.stringify(name)} mix orders: some have a first number over 12 and some a second, so neither DD/MM/YYYY nor MM/DD/YYYY reads them all.`, {
      hint: 'Write every date of the column in one order, then import it again (choosing that order as {timeFormat} if it is still asked).',
      details,
    })
  }
  return new ClipcastError('CSV_AMBIGUOUS_DATE_ORDER', `The dates of column ${JSON.stringify(name)} such as ${JSON.stringify(detection.example)} can be read day-first or month-first.`, {
    hint: 'Choose the order as {timeFormat}: DD/MM/YYYY or MM/DD/YYYY (with " HH:MM" or " HH:MM:SS" if the cells have times).',
    details,
  })
}
