import { ClipcastError } from '../../shared/errors'
import type { NumericColumnBuilder } from './columns'

export function emptyFile(fileName: string): ClipcastError {
  return new ClipcastError('CSV_EMPTY', `${fileName} is empty.`, { hint: 'Choose a CSV file with a header line and data rows.' })
}

export function headerOnly(fileName: string): ClipcastError {
  return new ClipcastError('CSV_HEADER_ONLY', `${fileName} has a header but no data rows.`, { hint: 'Choose a CSV file with data rows under the header.' })
}

export function raggedError(fileName: string, ragged: Array<{ line: number; fields: number }>, width: number, total: number, complete: boolean): ClipcastError {
  const list = ragged.map((r) => `line ${r.line} (${r.fields} fields)`).join(', ')
  const count = complete ? `${total} rows` : `At least ${total} rows`
  return new ClipcastError('CSV_RAGGED_ROW', `${count} of ${fileName} do not have the header's ${width} fields: ${list}${ragged.length < total ? ', …' : ''}.`, {
    hint: 'Check those rows for an unquoted delimiter inside a value or a missing field; or choose the right {delimiter}.',
    details: { lines: ragged.map((r) => r.line), expectedFields: width, total, settings: ['delimiter'] },
  })
}

export function badTimestamp(fileName: string, column: string, line: number, value: string, format: string): ClipcastError {
  return new ClipcastError('CSV_BAD_TIMESTAMP', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a timestamp in the column's format (${format}).`, {
    hint: value === '' ? 'Every row needs a time; fill in or remove that row.' : 'Fix that cell, or choose {timeFormat} if the column uses another format.',
    details: { line, column, value, settings: ['timeFormat'] },
  })
}

/** The earliest bad cell over all numeric columns, as CSV_NON_FINITE or CSV_BAD_NUMBER; nothing when every cell is good. */
export function checkCells(fileName: string, columns: ReadonlyArray<{ name: string; builder: NumericColumnBuilder }>): void {
  let worst: ClipcastError | undefined
  let worstLine = Infinity
  for (const { name: column, builder } of columns) {
    if (builder.isText()) continue
    if (builder.firstNonFinite && builder.firstNonFinite.line < worstLine) {
      const { line, value } = builder.firstNonFinite
      worstLine = line
      worst = new ClipcastError('CSV_NON_FINITE', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a finite number (${builder.nonFinite} such cells in the column).`, {
        hint: 'Replace infinite or overflowing values with a number, or leave the cell empty to mark it missing.',
        details: { line, column, value, count: builder.nonFinite },
      })
    }
    if (builder.firstNotNumber && builder.firstNotNumber.line < worstLine) {
      const { line, value } = builder.firstNotNumber
      worstLine = line
      worst = new ClipcastError('CSV_BAD_NUMBER', `${fileName}, line ${line}, column ${JSON.stringify(column)}: ${JSON.stringify(value)} is not a number (${builder.notNumbers} such cells in a numeric column).`, {
        hint: 'Fix the cell, or leave it empty (or NA) to mark it missing; if the file uses decimal commas set {decimal} to ,.',
        details: { line, column, value, count: builder.notNumbers, settings: ['decimal'] },
      })
    }
  }
  if (worst !== undefined) throw worst
}
