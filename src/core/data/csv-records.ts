import Papa from 'papaparse'
import { ClipcastError } from '../../shared/errors'

interface PapaError {
  type: string
  code: string
  message: string
  row?: number
}

function guessNewline(text: string): '\n' | '\r' | '\r\n' {
  const lf = text.indexOf('\n')
  const cr = text.indexOf('\r')
  if (cr >= 0 && (lf < 0 || cr < lf - 1)) return '\r'
  return cr >= 0 && cr === lf - 1 ? '\r\n' : '\n'
}

function countOf(text: string, part: string): number {
  let count = 0
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) count++
  return count
}

/**
 * Splits decoded CSV text, pushed chunk by chunk, into records with the file line each ends
 * on. Papaparse's Parser does the RFC 4180 work (quoted delimiters, doubled quotes, line
 * breaks inside quotes) and is several times faster than csv-parse here, but it counts
 * rows, not lines, and holds an unfinished record for as long as it grows: the line count
 * and a cap on the unfinished record are kept around it. Blank lines and records of
 * blank fields are skipped (and counted as lines).
 */
export class RecordSplitter {
  private carry = ''
  private line = 0
  private newline: '\n' | '\r' | '\r\n' | undefined
  private linesToSkip: number

  constructor(
    private readonly delimiter: string,
    fromLine: number,
    private readonly maxRecordChars: number,
    private readonly fileName: string,
    private readonly onRecord: (record: string[], line: number) => void,
    /** Told of each skipped record of blank fields: how many fields, and its line. */
    private readonly onEmptyRecord?: (fields: number, line: number) => void,
  ) {
    this.linesToSkip = fromLine - 1
  }

  push(text: string, final: boolean): void {
    let input = this.carry.length > 0 ? this.carry + text : text
    this.carry = ''
    if (this.newline === undefined) {
      // a lone CR at the end may be the first half of a CRLF: wait for what follows
      const cr = input.indexOf('\r')
      if (!final && input.indexOf('\n') < 0 && (cr < 0 || cr === input.length - 1)) return this.hold(input)
      this.newline = guessNewline(input)
    }
    if (this.linesToSkip > 0) input = this.skipLines(input, final)
    if (input.length === 0) return
    const parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline, quoteChar: '"' })
    const result = parser.parse(input, 0, !final) as { data: string[][]; errors: PapaError[]; meta: { cursor: number } }
    const cursor = final ? input.length : result.meta.cursor
    this.emit(result.data, result.errors, input.indexOf('"') >= 0)
    if (!final) this.hold(input.slice(cursor))
  }

  private hold(rest: string): void {
    if (rest.length > this.maxRecordChars) {
      const line = this.line + 1
      throw new ClipcastError('CSV_RECORD_TOO_LARGE', `The record of ${this.fileName} starting at line ${line} exceeds the size limit; most likely a quote opened there is never closed.`, {
        hint: 'Look for an unbalanced " near that line (a quote inside a field must be doubled: "").',
        details: { line },
      })
    }
    this.carry = rest
  }

  /** Drops the lines before the header (a `sep=;` line). */
  private skipLines(input: string, final: boolean): string {
    let at = 0
    while (this.linesToSkip > 0) {
      const end = input.indexOf(this.newline!, at)
      if (end < 0) {
        if (final) return ''
        this.hold(input.slice(at))
        return ''
      }
      at = end + this.newline!.length
      this.linesToSkip--
      this.line++
    }
    return input.slice(at)
  }

  private emit(rows: string[][], errors: PapaError[], quoted: boolean): void {
    const firstError = errors.length > 0 ? errors.reduce((a, b) => ((a.row ?? 0) <= (b.row ?? 0) ? a : b)) : undefined
    const newline = this.newline!
    for (let k = 0; k < rows.length; k++) {
      if (firstError !== undefined && k === (firstError.row ?? 0)) throw this.quoteError(firstError, this.line + 1)
      const row = rows[k]!
      let lines = 1
      if (quoted) for (let f = 0; f < row.length; f++) if (row[f]!.length > 0 && (row[f]!.indexOf('\n') >= 0 || row[f]!.indexOf('\r') >= 0)) lines += countOf(row[f]!, newline)
      this.line += lines
      // csv-parse's skip_empty_lines and skip_records_with_empty_values, as before
      if (row[0]!.length === 0 || row[0]!.trim() === '') {
        if (row.every((field) => field.trim() === '')) {
          this.onEmptyRecord?.(row.length, this.line)
          continue
        }
      }
      this.onRecord(row, this.line)
    }
    if (firstError !== undefined) throw this.quoteError(firstError, this.line + 1)
  }

  private quoteError(error: PapaError, line: number): ClipcastError {
    return new ClipcastError('CSV_UNCLOSED_QUOTE', `${this.fileName} has a malformed or unclosed quote in the record starting at line ${line}: ${error.message}.`, {
      hint: 'Close the quoted field there, or double a quote that is part of the text ("").',
      details: { line, parserCode: error.code },
    })
  }
}
