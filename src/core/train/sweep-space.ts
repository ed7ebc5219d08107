import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { ClipcastError } from '../../shared/errors'
import { RunConfigSchema, type RunConfigInput } from '../../shared/run-config'
import type { SweepDimension } from '../../shared/sweeps'
import { mulberry32 } from '../../shared/random'
import { badSpec, gridSize, gridTooLarge, settingKind } from '../../shared/sweep-spec'

export type { SweepDimension }
export { parseVary, settingKey } from '../../shared/sweep-spec'

function checkDimensions(dimensions: readonly SweepDimension[]): void {
  if (dimensions.length === 0) throw badSpec('A sweep needs at least one setting to vary.', 'For example clip-threshold=0.1,1,10.')
  const keys = dimensions.map((d) => d.key)
  const twice = keys.find((key, i) => keys.indexOf(key) !== i)
  if (twice !== undefined) throw badSpec(`${twice} is varied twice.`, 'Vary each setting once.')
}

/** Every combination of the listed values, the last dimension changing fastest. */
export function gridTrials(dimensions: readonly SweepDimension[]): Array<Record<string, number | string>> {
  checkDimensions(dimensions)
  const ranged = dimensions.find((d) => d.range)
  if (ranged) throw badSpec(`${ranged.key} is given a range; a grid needs a list of values.`, 'Draw the trials at random to use ranges, or list the values.')
  const tooLarge = gridTooLarge(gridSize(dimensions))
  if (tooLarge) throw badSpec(tooLarge, 'List fewer values, or draw a number of trials at random over the same values.')
  let trials: Array<Record<string, number | string>> = [{}]
  for (const dimension of dimensions) trials = trials.flatMap((trial) => dimension.values!.map((value) => ({ ...trial, [dimension.key]: value })))
  return trials
}

/** `count` seeded draws: a listed value uniformly, a range uniformly (or log-uniformly). */
export function randomTrials(dimensions: readonly SweepDimension[], count: number, seed: number): Array<Record<string, number | string>> {
  checkDimensions(dimensions)
  if (!Number.isInteger(count) || count < 1) throw badSpec(`The number of random trials must be a whole number of at least 1; received ${count}.`, 'For example 8.')
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

function gpuPackageInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node-gpu')
    return true
  } catch {
    return false
  }
}

/** defaultParallelism on this machine: its cores, and one GPU when tfjs-node-gpu is installed. */
export function machineParallelism(backend: string): number {
  return defaultParallelism({ backend, cores: availableParallelism(), gpus: gpuPackageInstalled() ? 1 : 0 })
}
