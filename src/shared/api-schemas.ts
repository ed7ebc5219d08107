import { z } from 'zod'
import { API_METHODS, type Api, type ApiMethod } from './api'
import { NAMED_FREQUENCIES, TEXT_ENCODINGS, type NamedFrequency, type TextEncoding } from './dataset-types'
import { ClipcastError } from './errors'
import { RunConfigSchema } from './run-config'
import type { RunTableSummary } from './run-table'
import { MAX_NOTE_LENGTH, MAX_TAGS } from './run-labels'
import { MAX_SWEEP_TRIALS } from './sweep-spec'

/**
 * The argument schemas of every Api method: what crosses a host boundary (IPC, HTTP) is
 * checked here before it reaches core. Objects are strict (unknown keys refused), numbers are
 * bounded, strings are capped, and the record is keyed by API_METHODS so a new method without
 * a schema is a compile error.
 */

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const shortText = z.string().min(1).max(200)
const issuedPath = z.string().min(1).max(4096)

export const ImportRequestSchema = z
  .object({
    /** Absolute path of a CSV file (issued by a file dialog in the desktop host). */
    path: issuedPath.optional(),
    /** Import the bundled sample dataset instead of a file. */
    sample: z.boolean().optional(),
    name: shortText.optional(),
    timeColumn: shortText.optional(),
    delimiter: z.string().min(1).max(4).optional(),
    decimal: z.enum(['.', ',']).optional(),
    timeFormat: shortText.optional(),
    /** Source encoding when it has no BOM and is not UTF-8 (Windows-1252 is also detected when unmistakable). */
    encoding: z.enum(TEXT_ENCODINGS as [TextEncoding, ...TextEncoding[]]).optional(),
    /** IANA zone of wall-clock times without an offset (default: UTC). */
    timeZone: z.string().min(1).max(64).optional(),
    /** Long format: the column naming the series; one column per series after the pivot. */
    seriesColumn: shortText.optional(),
    /** `year-by-month`: a table of years by twelve month columns becomes one monthly series (detected by default; `none` turns detection off). */
    reshape: z.enum(['year-by-month', 'none']).optional(),
    /** Overrides the inferred frequency (the preview's dropdown). */
    frequency: z.enum(NAMED_FREQUENCIES as [NamedFrequency, ...NamedFrequency[]]).optional(),
  })
  .strict()
  .refine((r) => (r.path === undefined) !== (r.sample !== true), {
    message: 'give either a path or sample: true, not both and not neither',
    path: ['path'],
  })
export type ImportRequest = z.infer<typeof ImportRequestSchema>

export const SeriesRequestSchema = z
  .object({
    datasetId: id,
    columns: z.array(shortText).max(1000).optional(),
    /** Downsample to at most this many points per column (min/max preserving). */
    maxPoints: z.number().int().min(2).max(100_000).optional(),
    /** Only the last this many rows (e.g. the history before a forecast). */
    last: z.number().int().min(1).max(100_000_000).optional(),
  })
  .strict()
export type SeriesRequest = z.infer<typeof SeriesRequestSchema>

export const ExportRequestSchema = z
  .object({
    runId: id,
    what: z.enum(['forecast', 'test']),
    /** Absolute path issued by a save dialog. */
    path: issuedPath,
    /** Write times as ISO 8601 UTC instead of the dataset's own style (`1974Q1`, a local wall clock). */
    isoTimes: z.boolean().optional(),
  })
  .strict()
export type ExportRequest = z.infer<typeof ExportRequestSchema>

export const ResumeOptionsSchema = z.object({ epochs: z.number().int().min(1).max(100_000).optional() }).strict()
export type ResumeOptions = z.infer<typeof ResumeOptionsSchema>

export const ExportFileRequestSchema = z.object({ runId: id, what: z.enum(['forecast', 'test']) }).strict()
export type ExportFileRequest = z.infer<typeof ExportFileRequestSchema>

const runTableSummary = z.enum(['best', 'last']) satisfies z.ZodType<RunTableSummary>
export const RunTableRequestSchema = z.object({ summary: runTableSummary }).strict()
export type RunTableRequest = z.infer<typeof RunTableRequestSchema>

export const RunTableExportRequestSchema = z.object({ summary: runTableSummary, path: issuedPath }).strict()
export type RunTableExportRequest = z.infer<typeof RunTableExportRequestSchema>

/** Upload cap shared by both hosts: the browser host also caps the HTTP body at this size. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024

const uploadName = z
  .string()
  .min(1)
  .max(255)
  // no folders, no `:` (a Windows drive or alternate data stream), no control characters, not `.` or `..`
  .regex(/^(?!\.{1,2}$)[^/\\:]+$/, 'a file name, without folders or ":"')
  .refine((name) => ![...name].some((c) => c.charCodeAt(0) < 0x20), { message: 'a file name without control characters' })

const bytes = z.instanceof(Uint8Array).refine((b) => b.byteLength <= MAX_UPLOAD_BYTES, { message: `at most ${MAX_UPLOAD_BYTES} bytes` })

const tagList = z.array(z.string().min(1).max(100)).max(MAX_TAGS)
/** A change to a run's labels: tags added and removed (removal wins); `note` replaces the whole note ('' clears it). */
const RunLabelChangeSchema = z.object({ add: tagList.optional(), remove: tagList.optional(), note: z.string().max(MAX_NOTE_LENGTH).optional() }).strict()
export type RunLabelChange = z.infer<typeof RunLabelChangeSchema>

const SweepDimensionSchema = z
  .object({
    key: shortText,
    values: z.array(z.union([z.number().finite(), shortText])).min(1).max(100).optional(),
    range: z.object({ min: z.number().finite(), max: z.number().finite(), log: z.boolean() }).strict().optional(),
  })
  .strict()
  .refine((d) => (d.values === undefined) !== (d.range === undefined), { message: 'give either values or a range' })
/** A setting a sweep varies: a RunConfig key and a list of values or (random draws) a range, drawn uniformly (log-uniformly with `log`); whole-number settings are rounded. */
export type SweepDimension = z.infer<typeof SweepDimensionSchema>

const SweepSpecSchema = z
  .object({
    mode: z.enum(['grid', 'random']),
    dimensions: z.array(SweepDimensionSchema).min(1).max(12),
    /** Random draws only: how many, and the seed they are drawn with. */
    count: z.number().int().min(1).max(MAX_SWEEP_TRIALS).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  })
  .strict()
export type SweepSpec = z.infer<typeof SweepSpecSchema>

/** Runs a sweep trains at a time. */
const sweepParallel = z.number().int().min(1).max(64)

export const SweepRequestSchema = z
  .object({
    base: RunConfigSchema,
    spec: SweepSpecSchema,
    parallel: sweepParallel.optional(),
  })
  .strict()
/** What the Sweep form starts: the shared settings (as a caller writes them: z.input, defaults not yet filled), what varies, and the runs at a time (default: what fits the machine). */
export type SweepRequest = z.input<typeof SweepRequestSchema>

const ResumeSweepOptionsSchema = z.object({ parallel: sweepParallel.optional() }).strict()
export type ResumeSweepOptions = z.infer<typeof ResumeSweepOptionsSchema>

const GroupRequestSchema = z
  .object({
    runIds: z.array(id).min(1).max(100),
    by: z.union([z.literal('seed'), z.object({ setting: shortText }).strict()]),
    metric: shortText,
    summary: z.enum(['best', 'last']),
  })
  .strict()
/** Runs grouped by the value of one setting, or into runs that differ only in their seed; `metric` is a run table column key (`test.mae`, `valLoss`, …). */
export type GroupRequest = z.infer<typeof GroupRequestSchema>
export type GroupBy = GroupRequest['by']

export const API_ARG_SCHEMAS = {
  getSystemInfo: z.tuple([]),
  getBackends: z.tuple([]),
  importDataset: z.tuple([ImportRequestSchema]),
  previewImport: z.tuple([ImportRequestSchema]),
  listDatasets: z.tuple([]),
  getSeries: z.tuple([SeriesRequestSchema]),
  deleteDataset: z.tuple([id]),
  startRun: z.tuple([RunConfigSchema]),
  stopRun: z.tuple([id]),
  resumeRun: z.tuple([id, ResumeOptionsSchema.optional()]),
  listRuns: z.tuple([]),
  getRun: z.tuple([id]),
  getClipAdvice: z.tuple([id]),
  deleteRun: z.tuple([id]),
  compareRuns: z.tuple([z.array(id).min(1).max(20)]),
  forecast: z.tuple([id]),
  getTestPeriod: z.tuple([id]),
  exportRun: z.tuple([ExportRequestSchema]),
  chooseImportFile: z.tuple([]),
  uploadCsv: z.tuple([uploadName, bytes]),
  openDroppedFile: z.tuple([z.string().min(1).max(4096)]),
  chooseExportFile: z.tuple([ExportFileRequestSchema]),
  getRunTable: z.tuple([RunTableRequestSchema]),
  chooseRunTableFile: z.tuple([]),
  exportRunTable: z.tuple([RunTableExportRequestSchema]),
  getRunLabels: z.tuple([id]),
  changeRunLabels: z.tuple([id, RunLabelChangeSchema]),
  listSweeps: z.tuple([]),
  getSweep: z.tuple([id]),
  startSweep: z.tuple([SweepRequestSchema]),
  resumeSweep: z.tuple([id, ResumeSweepOptionsSchema.optional()]),
  stopSweep: z.tuple([id]),
  getTestForecasts: z.tuple([id]),
  groupRuns: z.tuple([GroupRequestSchema]),
} satisfies Record<ApiMethod, z.ZodType>

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
const MAX_DEPTH = 16
/** Values in one call's arguments; IPC has no body cap of its own, so this is it. */
export const MAX_ARGUMENT_VALUES = 20_000

/**
 * Refuses keys that could reach an object's prototype, however deep, before any schema or
 * spread sees them (JSON.parse makes `__proto__` an own key; a later merge would not), and
 * argument lists too deep or too large to be a real call.
 */
export function assertNoDangerousKeys(value: unknown, path = '$', depth = 0, budget = { left: MAX_ARGUMENT_VALUES }): void {
  if (--budget.left < 0) throw badRequest(`The arguments hold more than ${MAX_ARGUMENT_VALUES} values.`)
  if (depth > MAX_DEPTH) throw badRequest(`The arguments nest deeper than ${MAX_DEPTH} levels at ${path}.`)
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) throw badRequest(`The key "${key}" is not allowed (at ${path}).`)
    assertNoDangerousKeys((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, budget)
  }
}

/** Whether a file name is CSV-like text the hosts import: the drop zone and the hosts use the same rule. */
export function isImportableName(name: string): boolean {
  return /\.(csv|tsv|txt)$/i.test(name)
}

/** Refuses files that are not CSV-like by name, politely, before anything is read or uploaded. */
export function assertImportable(name: string): void {
  if (isImportableName(name)) return
  const base = name.split(/[\\/]/).pop() ?? name
  throw new ClipcastError('BAD_REQUEST', `${base} is not a CSV file.`, {
    hint: 'Clipcast imports comma- or semicolon-separated text files (.csv, .tsv, .txt). Export your sheet as CSV first.',
  })
}

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API_METHODS, name)
}

/** Checks a method's argument list; returns the parsed (defaulted) arguments or throws BAD_REQUEST. */
export function parseArgs<M extends ApiMethod>(method: M, args: unknown): Parameters<Api[M]> {
  if (!Array.isArray(args)) throw badRequest(`The arguments of ${method} must be a JSON array.`)
  assertNoDangerousKeys(args)
  const schema: z.ZodType = API_ARG_SCHEMAS[method]
  // optional trailing arguments arrive as undefined from IPC and are dropped from JSON
  let trimmed = args
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed = trimmed.slice(0, -1)
  const result = schema.safeParse(trimmed)
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`)
    throw new ClipcastError('BAD_REQUEST', `Invalid arguments for ${method}: ${issues.join('; ')}.`, {
      hint: 'Check the values you entered; the host refused them before doing anything.',
      details: { method, issues: result.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String), message: i.message })) },
    })
  }
  return result.data as Parameters<Api[M]>
}

function badRequest(message: string): ClipcastError {
  return new ClipcastError('BAD_REQUEST', message, { hint: 'The host refused this request before doing anything.' })
}
