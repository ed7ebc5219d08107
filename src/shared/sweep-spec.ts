import { ClipcastError } from './errors'
import { RUN_FIELDS } from './run-fields'
import type { SweepDimension } from './sweeps'

/** The most trials one sweep plans, a grid's product or random draws: each is a stored run, planned in one transaction. */
export const MAX_SWEEP_TRIALS = 1000

/** How many trials a grid over these dimensions plans: the product of their value counts (a range counts as none). */
export function gridSize(dimensions: readonly SweepDimension[]): number {
  return dimensions.reduce((product, d) => product * (d.values?.length ?? 0), 1)
}

/** Why a grid of `size` trials is refused; null when it may be planned. */
export function gridTooLarge(size: number): string | null {
  return size > MAX_SWEEP_TRIALS ? `That grid has ${size.toLocaleString('en')} combinations; a sweep plans at most ${MAX_SWEEP_TRIALS.toLocaleString('en')} trials.` : null
}

/** The settings a sweep may vary: every number or choice of RunConfig but the dataset. */
export type SettingKind = { type: 'number'; integer: boolean } | { type: 'enum'; options: readonly string[] }

export function settingKind(key: string): SettingKind | null {
  const field = key === 'datasetId' ? undefined : RUN_FIELDS.find((f) => f.key === key)
  if (field?.kind === 'integer' || field?.kind === 'number') return { type: 'number', integer: field.kind === 'integer' }
  if (field?.kind === 'choice') return { type: 'enum', options: field.choices! }
  return null
}

/** `clip-threshold` or `clipThreshold` → `clipThreshold`. */
export function settingKey(name: string): string {
  return name.trim().replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
}

export function badSpec(message: string, hint: string): ClipcastError {
  return new ClipcastError('SWEEP_BAD_SPEC', message, { hint })
}

function parseNumber(text: string, name: string, integer: boolean): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw badSpec(`${name}: ${JSON.stringify(text)} is not ${integer ? 'a whole number' : 'a number'}.`, 'Write values as a comma-separated list, e.g. lr=1e-3,1e-2.')
  }
  return value
}

/**
 * Parses one `--vary` spec: `name=v1,v2,…` (a list) or `name=min..max` / `name=min..max:log`
 * (a range, for random draws). Numbers and enum values are checked against the RunConfig schema.
 */
export function parseVary(spec: string): SweepDimension {
  const equals = spec.indexOf('=')
  if (equals <= 0) throw badSpec(`${JSON.stringify(spec)} is not name=values.`, 'For example clip-threshold=0.1,1,10 or lr=1e-4..1e-1:log.')
  const name = spec.slice(0, equals).trim()
  const key = settingKey(name)
  const kind = settingKind(key)
  if (!kind) throw badSpec(`${name}: there is no such setting to vary.`, `Vary one of: ${sweepableSettings().map((s) => s.key).join(', ')} (or as flags are written, e.g. clip-threshold).`)
  const body = spec.slice(equals + 1).trim()
  const range = /^(.+?)\.\.(.+?)(:log)?$/.exec(body)
  if (range && kind.type === 'number') {
    const min = parseNumber(range[1]!, name, false)
    const max = parseNumber(range[2]!, name, false)
    const log = range[3] !== undefined
    if (!(min < max) || (log && min <= 0)) throw badSpec(`${name}: the range ${body} is empty${log ? ' or not positive' : ''}.`, 'Write min..max with min < max (both > 0 for :log).')
    return { key, range: { min, max, log } }
  }
  const texts = body.split(',').map((t) => t.trim())
  if (texts.length === 0 || texts.some((t) => t === '')) throw badSpec(`${name}: no values given.`, 'Write values as a comma-separated list, e.g. lr=1e-3,1e-2.')
  const values = texts.map((text) => {
    if (kind.type === 'number') return parseNumber(text, name, kind.integer)
    if (!kind.options.includes(text)) throw badSpec(`${name}: ${JSON.stringify(text)} is not one of ${kind.options.join(', ')}.`, `Choose among ${kind.options.join(', ')}.`)
    return text
  })
  if (new Set(values).size !== values.length) throw badSpec(`${name}: a value is listed twice.`, 'List each value once.')
  return { key, values }
}

/** Every setting a sweep may vary, in RunConfig order, with its kind (the Sweep form offers these). */
export function sweepableSettings(): Array<{ key: string; kind: SettingKind }> {
  return RUN_FIELDS.flatMap(({ key }) => {
    const kind = settingKind(key)
    return kind ? [{ key, kind }] : []
  })
}
