import { NumericColumnBuilder } from './columns'
import { readCsv, type EmptyRows } from './csv-read'
import type { Dialect } from './dialect'
import type { EncodingChoice } from './encoding'
import { GrowableFloat64 } from './growable'
import { badTimestamp, raggedError } from './import-errors'
import { TextCodes } from './long-format'
import type { TimeSpec } from './time-composite'
import { wallClockResolver } from './time-zone'
import type { YearByMonth } from './year-by-month'

const MAX_LISTED_ROWS = 10
const ABSOLUTE_KINDS = new Set(['epoch', 'epoch-s', 'epoch-ms'])

export interface ReadPlan {
  path: string
  fileName: string
  dialect: Dialect
  encoding: EncodingChoice
  names: string[]
  time: TimeSpec
  /** Columns read as numbers (text-ness is decided after the last row). */
  valueIndices: number[]
  /** Columns whose distinct texts are kept as codes: the series column and text-looking ones. */
  codedIndices: number[]
  yearByMonth?: YearByMonth
  timeZone?: string
  capacity: number
  maxRecordChars?: number
  signal?: AbortSignal
  onProgress?: (bytesRead: number, rows: number) => void
}

export interface RowsRead {
  /** Rows of empty cells the reader skipped (csv-read), for the EMPTY_ROWS warning. */
  emptyRows: EmptyRows
  rows: number
  headerSeen: boolean
  times: Float64Array
  builders: NumericColumnBuilder[]
  codes: Map<number, TextCodes>
}

/** A wall clock in ISO form that carries its own offset is already absolute. */
function hasOffset(cell: string): boolean {
  return cell.length > 10 && (/[zZ]$/.test(cell) || /[+-]\d\d(:?\d\d)?$/.test(cell.slice(13)))
}

/** Streams the file's rows into time, number and code columns; a bad row stops the read with its line. */
export async function readRows(plan: ReadPlan): Promise<RowsRead> {
  const { names, time, valueIndices, yearByMonth, fileName } = plan
  const width = names.length
  const builders = (yearByMonth ? [0] : valueIndices).map(() => new NumericColumnBuilder(plan.dialect.decimal === ',', plan.capacity * (yearByMonth ? 12 : 1)))
  const codes = new Map(plan.codedIndices.map((i) => [i, new TextCodes(plan.capacity)]))
  const codeList = [...codes.entries()]
  const rawTimes = new GrowableFloat64(plan.capacity * (yearByMonth ? 12 : 1))
  const timeName = time.names.join(' + ')
  const resolve = plan.timeZone !== undefined && !ABSOLUTE_KINDS.has(time.format.kind) ? wallClockResolver(plan.timeZone, fileName, timeName) : undefined
  const isoCell = time.format.kind === 'iso' ? time.indices[0]! : -1
  const ragged: Array<{ line: number; fields: number }> = []
  let raggedTotal = 0
  let headerSeen = false
  let rows = 0
  const { emptyRows } = await readCsv(plan.path, {
    dialect: plan.dialect,
    encoding: plan.encoding,
    fileName,
    maxRecordChars: plan.maxRecordChars,
    signal: plan.signal,
    onProgress: (bytes) => plan.onProgress?.(bytes, rows),
    onRecord: (record, line) => {
      if (!headerSeen) {
        headerSeen = true
        return
      }
      if (record.length !== width) {
        raggedTotal++
        if (ragged.length < MAX_LISTED_ROWS) ragged.push({ line, fields: record.length })
        else throw raggedError(fileName, ragged, width, raggedTotal, false)
        return
      }
      if (raggedTotal > 0) return
      let t = time.read(record)
      if (t !== t) throw badTimestamp(fileName, timeName, line, time.indices.map((i) => record[i]!.trim()).join(' '), time.format.label)
      if (resolve !== undefined && (isoCell < 0 || !hasOffset(record[isoCell]!.trim()))) t = resolve(t, line)
      if (yearByMonth !== undefined) {
        const year = new Date(t).getUTCFullYear()
        for (let m = 0; m < 12; m++) {
          rawTimes.push(Date.UTC(year, m, 1))
          builders[0]!.add(record[yearByMonth.monthIndices[m]!]!, line)
        }
        rows++
        return
      }
      rawTimes.push(t)
      for (let k = 0; k < valueIndices.length; k++) builders[k]!.add(record[valueIndices[k]!]!, line)
      for (let k = 0; k < codeList.length; k++) codeList[k]![1].add(record[codeList[k]![0]]!.trim())
      rows++
    },
  })
  if (raggedTotal > 0) throw raggedError(fileName, ragged, width, raggedTotal, true)
  return { emptyRows, rows, headerSeen, times: rawTimes.view(), builders, codes }
}
