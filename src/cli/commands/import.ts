import type { Command } from 'commander'
import { resolve } from 'node:path'
import { importCsv } from '../../core/data/import'
import { previewImport } from '../../core/data/preview'
import { timeFormatter } from '../../core/data/time-style'
import { openWorkspace } from '../../core/store/workspace'
import type { DatasetSummary, ImportPreview, ImportRequest } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { IMPORT_FIELD, type ImportFieldKey } from '../../shared/import-fields'
import { delimiterFromText } from '../../shared/delimiters'
import { action, formatTable, printJson } from '../output'
import { createProgress } from '../progress'
import { workspacePath } from '../args'

interface ImportOptions {
  sample?: boolean
  timeColumn?: string
  delimiter?: string
  decimal?: string
  timeFormat?: string
  encoding?: string
  timezone?: string
  seriesColumn?: string
  reshape?: string
  dryRun?: boolean
  name?: string
  db?: string
  json?: boolean
}

/** An import setting's flag as src/shared/import-fields.ts names it (hints name it so too). */
function importFlag(key: ImportFieldKey): string {
  const { flag, value } = IMPORT_FIELD[key]
  return value === '' ? `--${flag}` : `--${flag} ${value}`
}

const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const

/** `clipcast import <file.csv>`: a CSV file (or the bundled sample) becomes a dataset in the workspace. */
export function register(program: Command): void {
  program
    .command('import')
    .description('Import a CSV time series into the workspace (streamed and validated; nothing is written unless the whole file is good).')
    .argument('[file]', 'CSV file to import')
    .option(importFlag('sample'), 'import the bundled sample dataset (Seattle hourly weather normals)')
    .option(importFlag('timeColumn'), 'the column that holds the time, or several comma-separated (year,quarter; date,time) (default: detected)')
    .option(importFlag('delimiter'), 'field delimiter: , ; | or \\t, or comma, semicolon, tab, pipe (default: detected)')
    .option(importFlag('decimal'), 'decimal mark: . or , (default: detected)')
    .option(importFlag('timeFormat'), 'time format when detection cannot tell: DD/MM/YYYY, MM/DD/YYYY, YYYY/MM/DD (+ " HH:MM[:SS]"), epoch-s, epoch-ms, year, or Luxon tokens (MMM-d-yyyy, yyyyMMdd, "yyyy\'Q\'q")')
    .option(importFlag('timeZone'), 'IANA zone of wall-clock times without an offset, e.g. Europe/Berlin (default: UTC)')
    .option(importFlag('seriesColumn'), 'long format: the column naming each row\'s series; pivots to one column per series')
    .option(importFlag('reshape'), 'year-by-month: a table of years by twelve month columns becomes one monthly series (detected by default); none: no reshaping')
    .option(importFlag('encoding'), `source encoding when not UTF-8 with or without BOM: ${ENCODINGS.join(', ')}`)
    .option('--dry-run', 'read the whole file and print what the import would make of it (the app\'s preview); write nothing')
    .option(importFlag('name'), 'dataset name (default: the file name)')
    .option('--db <file>', 'workspace file')
    .option('--json', 'print the dataset as one JSON object')
    .action(action(async (file: string | undefined, options: ImportOptions) => {
      const request = toRequest(file, options)
      if (options.dryRun) return printPreview(await previewImport(request), options.json === true)
      const db = openWorkspace(workspacePath(options.db))
      const progress = createProgress('Importing', { json: options.json })
      try {
        const dataset = await importCsv(db, request, {
          onProgress: ({ fraction, rows }) => progress.update(fraction, `${rows.toLocaleString('en-US')} rows`),
        })
        progress.stop()
        if (options.json) printJson({ dataset: publicShape(dataset) })
        else process.stdout.write(describeDataset(dataset) + '\n')
      } finally {
        progress.stop()
        db.close()
      }
    }))
}

/** The preview as JSON, or as the settings, the columns and why it would not import. A preview that cannot import exits 2. */
function printPreview(preview: ImportPreview, json: boolean): void {
  if (json) printJson({ preview: { ...preview, options: undefined } })
  else {
    const { settings, result } = preview
    const lines = [
      `${preview.fileName}: time ${JSON.stringify(settings.timeColumn)} (${settings.timeFormatLabel || settings.timeFormat}), zone ${settings.timeZone}${settings.seriesColumn ? `, series column ${JSON.stringify(settings.seriesColumn)}` : ''}${settings.reshape ? `, ${settings.reshape}` : ''}`,
      `read with delimiter ${JSON.stringify(preview.read.delimiter)}, decimal ${JSON.stringify(preview.read.decimal)}, ${preview.read.encoding}${preview.read.undecided.length > 0 ? ` (a first guess for ${preview.read.undecided.join(', ')})` : ''}`,
    ]
    if (result) {
      lines.push(`${result.rows.toLocaleString('en-US')} rows, ${result.frequency}, ${result.start} → ${result.end}; nothing written`, '')
      lines.push(formatTable(['column', 'kind', 'missing'], result.columns.map((c) => [c.name, c.kind, c.missing])))
      lines.push(...result.warnings.map((w) => `warning ${w.code}: ${w.message}`))
    }
    process.stdout.write(lines.join('\n') + '\n')
  }
  if (preview.error) throw new ClipcastError(preview.error.code, preview.error.message, { ...(preview.error.hint !== undefined ? { hint: preview.error.hint } : {}), ...(preview.error.details ? { details: preview.error.details } : {}) })
}

function toRequest(file: string | undefined, options: ImportOptions): ImportRequest {
  if (options.sample && file !== undefined) throw new ClipcastError('BAD_REQUEST', 'Give either a file or --sample, not both.', { hint: 'clipcast import data.csv, or clipcast import --sample.' })
  if (!options.sample && file === undefined) throw new ClipcastError('BAD_REQUEST', 'No CSV file given.', { hint: 'clipcast import data.csv, or clipcast import --sample for the bundled dataset.' })
  if (options.decimal !== undefined && options.decimal !== '.' && options.decimal !== ',') {
    throw new ClipcastError('BAD_REQUEST', `--decimal must be "." or ","; received ${JSON.stringify(options.decimal)}.`, { hint: 'Use --decimal , for numbers like 1.234,56.' })
  }
  const encoding = options.encoding?.toLowerCase().replace(/^utf8$/, 'utf-8').replace(/^(cp|win)-?1252$/, 'windows-1252')
  if (encoding !== undefined && !(ENCODINGS as readonly string[]).includes(encoding)) {
    throw new ClipcastError('BAD_REQUEST', `--encoding must be one of ${ENCODINGS.join(', ')}; received ${JSON.stringify(options.encoding)}.`, { hint: 'UTF-8 and UTF-16 with a byte-order mark need no --encoding.' })
  }
  if (options.reshape !== undefined && options.reshape !== 'year-by-month' && options.reshape !== 'none') {
    throw new ClipcastError('BAD_REQUEST', `--reshape must be "year-by-month" or "none"; received ${JSON.stringify(options.reshape)}.`, { hint: 'Use --reshape year-by-month for a table of years by month columns.' })
  }
  const delimiter = options.delimiter === undefined ? undefined : delimiterFromText(options.delimiter)
  return {
    ...(options.sample ? { sample: true } : { path: resolve(file!) }),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.timeColumn !== undefined ? { timeColumn: options.timeColumn } : {}),
    ...(delimiter !== undefined ? { delimiter } : {}),
    ...(options.decimal !== undefined ? { decimal: options.decimal } : {}),
    ...(options.timeFormat !== undefined ? { timeFormat: options.timeFormat } : {}),
    ...(encoding !== undefined ? { encoding: encoding as ImportRequest['encoding'] } : {}),
    ...(options.timezone !== undefined ? { timeZone: options.timezone } : {}),
    ...(options.seriesColumn !== undefined ? { seriesColumn: options.seriesColumn } : {}),
    ...(options.reshape !== undefined ? { reshape: options.reshape as ImportRequest['reshape'] } : {}),
  }
}

/** The contract's JSON shape of a dataset: no stats or storage details. */
export function publicShape(dataset: DatasetSummary): Record<string, unknown> {
  return {
    id: dataset.id,
    name: dataset.name,
    rows: dataset.rows,
    timeColumn: dataset.timeColumn,
    frequency: dataset.frequency,
    ...(dataset.timeFormat !== undefined ? { timeFormat: dataset.timeFormat } : {}),
    ...(dataset.timeZone !== undefined ? { timeZone: dataset.timeZone } : {}),
    start: dataset.start,
    end: dataset.end,
    columns: dataset.columns.map((c) => ({ name: c.name, kind: c.kind, missing: c.missing })),
    warnings: dataset.warnings.map((w) => ({ code: w.code, message: w.message })),
  }
}

export function describeDataset(dataset: DatasetSummary): string {
  const format = timeFormatter(dataset)
  const inStyle = (iso: string): string => format(Date.parse(iso))
  const lines = [
    `Dataset ${dataset.id} "${dataset.name}": ${dataset.rows.toLocaleString('en-US')} rows, ${dataset.frequency}, ${inStyle(dataset.start)} → ${inStyle(dataset.end)} (${span(dataset)}; time column "${dataset.timeColumn}"${dataset.timeZone ? `, ${dataset.timeZone}` : ''})`,
    '',
    formatTable(
      ['column', 'kind', 'missing', 'min', 'max', 'mean'],
      dataset.columns.map((c) => [c.name, c.kind, c.missing, fmt(c.stats?.min), fmt(c.stats?.max), fmt(c.stats?.mean)]),
    ),
  ]
  if (dataset.warnings.length > 0) lines.push('', ...dataset.warnings.map((w) => `warning ${w.code}: ${w.message}`))
  return lines.join('\n')
}

function span(dataset: DatasetSummary): string {
  const ms = Date.parse(dataset.end) - Date.parse(dataset.start)
  const days = ms / 86_400_000
  if (days >= 730) return `${(days / 365.25).toFixed(1)} years`
  if (days >= 2) return `${days.toFixed(days >= 100 ? 0 : 1)} days`
  return `${(ms / 3_600_000).toFixed(1)} hours`
}

function fmt(value: number | undefined): string | undefined {
  return value === undefined ? undefined : Number(value.toPrecision(6)).toString()
}
