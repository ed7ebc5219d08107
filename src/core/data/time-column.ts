import { ClipcastError } from '../../shared/errors'
import { compileTimeFormat, detectTimeFormat, parseEpochNumber, timeParser, type TimeDetection, type TimeFormat } from './timestamps'

export interface TimeColumnChoice {
  index: number
  name: string
  format: TimeFormat
}

const TIME_NAME = /time|date|stamp|epoch|unix|^ts$|^t$/i

/**
 * Picks the time column from the header and a sample of rows: the requested one, else the
 * first column (time-like names first) whose sample cells all parse as timestamps.
 * `03/04/2024` is refused until a day/month order is given.
 */
export function chooseTimeColumn(names: readonly string[], sampleRows: readonly string[][], request: { timeColumn?: string; timeFormat?: string }): TimeColumnChoice {
  const cellsOf = (index: number): string[] => sampleRows.map((row) => row[index] ?? '')
  const explicitFormat = request.timeFormat !== undefined ? compileTimeFormat(request.timeFormat) : undefined
  if (request.timeColumn !== undefined) {
    const index = names.indexOf(request.timeColumn.trim())
    if (index < 0) {
      throw new ClipcastError('UNKNOWN_COLUMN', `There is no column ${JSON.stringify(request.timeColumn)}; the columns are ${names.map((n) => JSON.stringify(n)).join(', ')}.`, {
        hint: 'Pass one of those names to --time-column.',
        details: { columns: [...names] },
      })
    }
    const name = names[index]!
    if (explicitFormat !== undefined) return { index, name, format: explicitFormat }
    const detection = detectTimeFormat(name, cellsOf(index))
    if (detection.kind === 'format') return { index, name, format: detection.format }
    if (detection.kind === 'ambiguous-order') throw ambiguousOrder(name, detection)
    // the user named the column: plain numbers are accepted as epoch time whatever the name
    if (cellsOf(index).every((c) => c.trim() === '' || Math.abs(parseEpochNumber(c.trim())) >= 1e8)) return { index, name, format: { kind: 'epoch', label: 'epoch seconds or milliseconds' } }
    const bad = cellsOf(index).find((c) => c.trim() !== '' && Number.isNaN(parseEpochNumber(c.trim())))
    throw new ClipcastError('CSV_BAD_TIMESTAMP', `The time column ${JSON.stringify(name)} has values that are not timestamps${bad !== undefined ? `, e.g. ${JSON.stringify(bad)}` : ''}.`, {
      hint: 'Pass --time-format (e.g. DD/MM/YYYY HH:MM), or choose another --time-column.',
    })
  }
  const order = names.map((_, i) => i).sort((a, b) => Number(!TIME_NAME.test(names[a]!)) - Number(!TIME_NAME.test(names[b]!)) || a - b)
  for (const index of order) {
    const name = names[index]!
    if (explicitFormat !== undefined) {
      const parse = timeParser(explicitFormat)
      const cells = cellsOf(index).map((c) => c.trim()).filter((c) => c !== '')
      if (cells.length > 0 && cells.every((c) => !Number.isNaN(parse(c)))) return { index, name, format: explicitFormat }
      continue
    }
    const detection = detectTimeFormat(name, cellsOf(index))
    if (detection.kind === 'format') return { index, name, format: detection.format }
    if (detection.kind === 'ambiguous-order') throw ambiguousOrder(name, detection)
  }
  const tried = names.map((n) => JSON.stringify(n)).join(', ')
  throw new ClipcastError(
    'CSV_NO_TIME_COLUMN',
    `No column parses as time${explicitFormat ? ` with the format ${JSON.stringify(request.timeFormat)}` : ''}; tried ${tried}.`,
    {
      hint: 'Name the time column with --time-column, and give --time-format if its dates are not ISO 8601 (e.g. DD/MM/YYYY) or epoch seconds/milliseconds.',
      details: { tried: [...names] },
    },
  )
}

function ambiguousOrder(name: string, detection: Extract<TimeDetection, { kind: 'ambiguous-order' }>): ClipcastError {
  const evidence = detection.dayFirstOnly ? ' (some first numbers exceed 12, which suggests DD/MM/YYYY)' : detection.monthFirstOnly ? ' (some second numbers exceed 12, which suggests MM/DD/YYYY)' : ''
  return new ClipcastError('CSV_AMBIGUOUS_DATE_ORDER', `The dates of column ${JSON.stringify(name)} such as ${JSON.stringify(detection.example)} can be read day-first or month-first${evidence}.`, {
    hint: 'Choose the order with --time-format DD/MM/YYYY or --time-format MM/DD/YYYY (add " HH:MM" or " HH:MM:SS" if the cells have times).',
    details: { column: name, example: detection.example },
  })
}
