import { parse } from 'csv-parse/sync'
import { DELIMITERS, delimiterText } from '../../shared/delimiters'
import { ClipcastError } from '../../shared/errors'

export { DELIMITERS }

export interface Dialect {
  delimiter: string
  decimal: '.' | ','
  /** 2 when the file starts with Excel's `sep=;` line, which is not part of the data. */
  fromLine: number
  /** How the decimal mark was chosen, for the import's warnings. */
  decimalDetected: boolean
}

const SEP_LINE = /^"?sep=(.)"?\s*(\r\n|\n|\r|$)/i
/** `1,5`, `-0,25`, `1.234,56`: a decimal comma (thousands dots allowed). */
const COMMA_DECIMAL = /^[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+$/
/** `1.5`, `.25`, `1e-3`, `1.5E+2`: a decimal dot; `1.234` alone is excluded (it could be a thousands dot). */
const DOT_DECIMAL = /^[+-]?(\d*\.\d+([eE][+-]?\d+)?|\d+[eE][+-]?\d+)$/
// a leading 0 is never a thousands group: `0.000` is a decimal
const THOUSANDS_DOT_ONLY = /^[+-]?[1-9]\d{0,2}(\.\d{3})+$/

/** Records of a sample, as far as they parse (the sample may end inside a quoted field). */
export function sampleRecords(sample: string, delimiter: string, fromLine = 1, maxRecords = 200): string[][] {
  const records: string[][] = []
  // parse only about as many lines as records are wanted (quoted line breaks may need more; the cut is then harmless)
  let end = 0
  for (let lines = 0; lines < fromLine + maxRecords * 2 && end >= 0; lines++) end = sample.indexOf('\n', end + 1)
  const text = end < 0 ? sample : sample.slice(0, end + 1)
  try {
    parse(text, {
      delimiter,
      from_line: fromLine,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      to: maxRecords + 1,
      on_record: (record: string[]) => {
        records.push(record)
        return null
      },
    })
  } catch {
    // keep the records before the cut
  }
  return records
}

/**
 * Finds the delimiter (a `sep=` first line, or the one of , ; tab | that splits every sample
 * line into the same number (≥ 2) of fields) and the decimal mark. Two plausible delimiters,
 * or decimal commas next to decimal dots, are refused with a question rather than guessed.
 * `sample` is the start of the file, cut at a line end.
 */
export function detectDialect(sample: string, requested: { delimiter?: string; decimal?: '.' | ',' } = {}): Dialect {
  const sep = SEP_LINE.exec(sample)
  const fromLine = sep ? 2 : 1
  let delimiter = requested.delimiter ?? sep?.[1]
  if (delimiter !== undefined && (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r')) {
    throw new ClipcastError('CSV_AMBIGUOUS_DELIMITER', `The delimiter ${JSON.stringify(delimiter)} cannot be used: it must be one character other than a quote or a line break.`, {
      hint: `Set {delimiter} to one of ${DELIMITERS.map(delimiterText).join(', ')}.`,
      details: { settings: ['delimiter'] },
    })
  }
  if (delimiter === undefined) delimiter = detectDelimiter(sample, fromLine)
  const records = sampleRecords(sample, delimiter, fromLine)
  if (requested.decimal !== undefined) return { delimiter, decimal: requested.decimal, fromLine, decimalDetected: false }
  return { delimiter, decimal: detectDecimal(records.slice(1)), fromLine, decimalDetected: true }
}

function detectDelimiter(sample: string, fromLine: number): string {
  const plausible: Array<{ delimiter: string; fields: number }> = []
  let fallback = { delimiter: ',', agreeing: 0 }
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(sample, delimiter, fromLine)
    const fields = records[0]?.length ?? 0
    if (fields < 2) continue
    const agreeing = records.filter((r) => r.length === fields).length
    if (agreeing === records.length) plausible.push({ delimiter, fields })
    else if (agreeing > fallback.agreeing) fallback = { delimiter, agreeing }
  }
  if (plausible.length === 1) return plausible[0]!.delimiter
  if (plausible.length === 0) {
    // a ragged sample: take the delimiter most rows agree with and let the row check name
    // the rows that do not (one column reads as commas and fails on its own terms)
    return fallback.delimiter
  }
  const names = plausible.map((p) => `${delimiterText(p.delimiter)} into ${p.fields} columns`).join(' or ')
  throw new ClipcastError('CSV_AMBIGUOUS_DELIMITER', `The delimiter is ambiguous: the first lines split evenly on ${names}.`, {
    hint: `Choose one as {delimiter}, e.g. ${delimiterText(plausible[0]!.delimiter)}.`,
    details: { candidates: plausible.map((p) => p.delimiter), settings: ['delimiter'] },
  })
}

/** Counts cells that can only be decimal commas and cells that can only be decimal dots. */
export function detectDecimal(rows: string[][]): '.' | ',' {
  let comma = 0
  let dot = 0
  let commaExample = ''
  let dotExample = ''
  let thousandsExample = ''
  for (const row of rows) {
    for (const raw of row) {
      const cell = raw.trim()
      if (COMMA_DECIMAL.test(cell)) {
        comma++
        commaExample ||= cell
      } else if (THOUSANDS_DOT_ONLY.test(cell)) {
        thousandsExample ||= cell
      } else if (DOT_DECIMAL.test(cell)) {
        dot++
        dotExample ||= cell
      }
    }
  }
  // `1.234` with nothing else to go by is 1234 in much of Europe and 1.234 elsewhere: ask
  if (comma === 0 && dot === 0 && thousandsExample !== '') {
    throw new ClipcastError('CSV_AMBIGUOUS_DECIMAL', `The decimal mark is ambiguous: a cell like ${JSON.stringify(thousandsExample)} could be ${thousandsExample.replace(/\./g, '')} (a thousands dot) or a decimal, and no other cell tells them apart.`, {
      hint: 'Choose . as {decimal} (read as a decimal) or , (the dot groups thousands).',
      details: { thousandsExample, settings: ['decimal'] },
    })
  }
  if (comma > 0 && dot > 0) {
    throw new ClipcastError('CSV_AMBIGUOUS_DECIMAL', `The decimal mark is ambiguous: cells like ${JSON.stringify(commaExample)} use a comma and cells like ${JSON.stringify(dotExample)} use a dot.`, {
      hint: 'Choose , or . as {decimal}.',
      details: { commaExample, dotExample, settings: ['decimal'] },
    })
  }
  return comma > 0 ? ',' : '.'
}
