import { z } from 'zod'
import { ClipcastError } from '../../shared/errors'
import { RunConfigSchema, type RunConfigInput } from '../../shared/run-config'
import type { SweepDimension } from '../../shared/sweeps'
import { mulberry32 } from '../../shared/random'

export type { SweepDimension }

/** The settings a sweep may vary: every number or choice of RunConfig but the dataset. */
const SHAPE: Record<string, z.ZodType> = RunConfigSchema.shape
type SettingKind = { type: 'number'; integer: boolean } | { type: 'enum'; options: readonly string[] }

function settingKind(key: string): SettingKind | null {
  if (key === 'datasetId' || !(key in SHAPE)) return null
  let schema = SHAPE[key]!
  while (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType
  if (schema instanceof z.ZodNumber) return { type: 'number', integer: schema.isInt }
  if (schema instanceof z.ZodEnum) return { type: 'enum', options: schema.options as string[] }
  return null
}

/** `clip-threshold` or `clipThreshold` → `clipThreshold`. */
export function settingKey(name: string): string {
  return name.trim().replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
}

function badSpec(message: string, hint: string): ClipcastError {
  return new ClipcastError('SWEEP_BAD_SPEC', message, { hint })
}

function parseNumber(text: string, name: string, integer: boolean): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw badSpec(`--vary ${name}: ${JSON.stringify(text)} is not ${integer ? 'a whole number' : 'a number'}.`, 'Write values as a comma-separated list, e.g. --vary lr=1e-3,1e-2.')
  }
  return value
}

/**
 * Parses one `--vary` spec: `name=v1,v2,…` (a list) or `name=min..max` / `name=min..max:log`
 * (a range, for random draws). Numbers and enum values are checked against the RunConfig schema.
 */
export function parseVary(spec: string): SweepDimension {
  const equals = spec.indexOf('=')
  if (equals <= 0) throw badSpec(`--vary ${JSON.stringify(spec)} is not name=values.`, 'For example --vary clip-threshold=0.1,1,10 or --vary lr=1e-4..1e-1:log.')
  const name = spec.slice(0, equals).trim()
  const key = settingKey(name)
  const kind = settingKind(key)
  if (!kind) throw badSpec(`--vary ${name}: there is no such setting to vary.`, `Vary one of: ${Object.keys(SHAPE).filter((k) => settingKind(k)).join(', ')} (as flags, e.g. clip-threshold).`)
  const body = spec.slice(equals + 1).trim()
  const range = /^(.+?)\.\.(.+?)(:log)?$/.exec(body)
  if (range && kind.type === 'number') {
    const min = parseNumber(range[1]!, name, false)
    const max = parseNumber(range[2]!, name, false)
    const log = range[3] !== undefined
    if (!(min < max) || (log && min <= 0)) throw badSpec(`--vary ${name}: the range ${body} is empty${log ? ' or not positive' : ''}.`, 'Write min..max with min < max (both > 0 for :log).')
    return { key, range: { min, max, log } }
  }
  const texts = body.split(',').map((t) => t.trim())
  if (texts.length === 0 || texts.some((t) => t === '')) throw badSpec(`--vary ${name}: no values given.`, 'Write values as a comma-separated list, e.g. --vary lr=1e-3,1e-2.')
  const values = texts.map((text) => {
    if (kind.type === 'number') return parseNumber(text, name, kind.integer)
    if (!kind.options.includes(text)) throw badSpec(`--vary ${name}: ${JSON.stringify(text)} is not one of ${kind.options.join(', ')}.`, `Choose among ${kind.options.join(', ')}.`)
    return text
  })
  if (new Set(values).size !== values.length) throw badSpec(`--vary ${name}: a value is listed twice.`, 'List each value once.')
  return { key, values }
}

function checkDimensions(dimensions: readonly SweepDimension[]): void {
  if (dimensions.length === 0) throw badSpec('A sweep needs at least one --vary.', 'For example --vary clip-threshold=0.1,1,10.')
  const keys = dimensions.map((d) => d.key)
  const twice = keys.find((key, i) => keys.indexOf(key) !== i)
  if (twice !== undefined) throw badSpec(`${twice} is varied twice.`, 'Give each setting one --vary.')
}

/** Every combination of the listed values, the last dimension changing fastest. */
export function gridTrials(dimensions: readonly SweepDimension[]): Array<Record<string, number | string>> {
  checkDimensions(dimensions)
  const ranged = dimensions.find((d) => d.range)
  if (ranged) throw badSpec(`--vary ${ranged.key} is a range; a grid needs a list of values.`, 'Add --random N to draw from ranges, or list the values.')
  let trials: Array<Record<string, number | string>> = [{}]
  for (const dimension of dimensions) trials = trials.flatMap((trial) => dimension.values!.map((value) => ({ ...trial, [dimension.key]: value })))
  return trials
}

/** `count` seeded draws: a listed value uniformly, a range uniformly (or log-uniformly). */
export function randomTrials(dimensions: readonly SweepDimension[], count: number, seed: number): Array<Record<string, number | string>> {
  checkDimensions(dimensions)
  if (!Number.isInteger(count) || count < 1) throw badSpec(`--random must be a whole number of at least 1; received ${count}.`, 'For example --random 8.')
  const random = mulberry32(seed >>> 0)
  return Array.from({ length: count }, () => {
    const trial: Record<string, number | string> = {}
    for (const dimension of dimensions) trial[dimension.key] = draw(dimension, random)
    return trial
  })
}

function draw(dimension: SweepDimension, random: () => number): number | string {
  if (dimension.values) return dimension.values[Math.min(dimension.values.length - 1, Math.floor(random() * dimension.values.length))]!
  const { min, max, log } = dimension.range!
  const value = log ? Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))) : min + random() * (max - min)
  const kind = settingKind(dimension.key)
  // six significant digits: a value a person can read and type again
  return kind?.type === 'number' && kind.integer ? Math.round(value) : Number(value.toPrecision(6))
}

/** Each trial's full config: the base settings with the trial's values over them, checked by the schema. */
export function trialConfigs(base: RunConfigInput, trials: ReadonlyArray<Record<string, number | string>>): RunConfigInput[] {
  return trials.map((trial, index) => {
    const config = { ...base, ...trial }
    const parsed = RunConfigSchema.safeParse(config)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
      throw new ClipcastError('INVALID_CONFIG', `Trial ${index + 1} of the sweep (${JSON.stringify(trial)}) is not a valid run configuration: ${issues.join('; ')}.`, {
        hint: `Check the values of ${Object.keys(trial).map((key) => `{${key}}`).join(', ')} against the allowed ranges.`,
        details: { trial, issues, settings: Object.keys(trial) },
      })
    }
    return parsed.data
  })
}

/**
 * Runs at a time when not told: one per GPU (a GPU is best used by one run), else about half
 * the cores, since a wasm run computes on two threads (its data-parallel partner).
 */
export function defaultParallelism(options: { backend: string; cores: number; gpus: number }): number {
  if (options.gpus > 0 && (options.backend === 'auto' || options.backend === 'tensorflow')) return options.gpus
  // a WebGPU adapter is one device; native TensorFlow threads over every core by itself
  if (options.backend === 'tensorflow' || options.backend === 'webgpu') return 1
  return Math.max(1, Math.floor(options.cores / 2))
}
