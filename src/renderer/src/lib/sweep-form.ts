import { toErrorData } from '../../../shared/errors'
import { gridSize, gridTooLarge, parseVary, sweepableSettings } from '../../../shared/sweep-spec'
import type { SweepSpec } from '../../../shared/sweeps'

/** One row of the Sweep form: a setting and its values as typed (`0.1, 1, 10`, or `1e-4..1e-1:log` for random draws). */
export interface DimensionDraft {
  key: string
  text: string
}

/** What the form may vary: every number or choice of a run's settings, with a hint of how to write its values. */
export function sweepChoices(): Array<{ key: string; hint: string }> {
  return sweepableSettings().map(({ key, kind }) => ({
    key,
    hint: kind.type === 'enum' ? kind.options.join(', ') : kind.integer ? 'whole numbers, e.g. 1, 2, 4' : 'numbers, e.g. 0.001, 0.01 (or 1e-4..1e-1:log for random draws)',
  }))
}

/**
 * The sweep the form describes, checked as `clipcast sweep --vary` checks it (parseVary), or
 * the problems in words: rows without values are ignored, a setting twice is a problem.
 */
export function draftSpec(drafts: readonly DimensionDraft[], mode: 'grid' | 'random', count: number, seed: number): { spec: SweepSpec; trials: number } | { problems: string[] } {
  const problems: string[] = []
  const filled = drafts.filter((d) => d.key !== '' && d.text.trim() !== '')
  const dimensions = filled.flatMap((draft) => {
    try {
      return [parseVary(`${draft.key}=${draft.text}`)]
    } catch (error) {
      problems.push(toErrorData(error).message)
      return []
    }
  })
  const keys = filled.map((d) => d.key)
  keys.forEach((key, i) => keys.indexOf(key) !== i && problems.push(`${key} is varied twice.`))
  if (filled.length === 0) problems.push('Pick a setting to vary and give it values.')
  if (mode === 'grid' && dimensions.some((d) => d.range)) problems.push('A range (min..max) needs random draws; a grid needs a list of values.')
  if (mode === 'random' && !(Number.isInteger(count) && count >= 1)) problems.push('Random draws: the number of runs must be a whole number of at least 1.')
  if (mode === 'random' && !(Number.isInteger(seed) && seed >= 0)) problems.push('Random draws: the seed must be a whole number of at least 0.')
  const trials = mode === 'grid' ? gridSize(dimensions) : count
  const tooLarge = mode === 'grid' ? gridTooLarge(trials) : null
  if (tooLarge) problems.push(tooLarge)
  if (problems.length > 0) return { problems }
  const spec: SweepSpec = mode === 'grid' ? { mode, dimensions } : { mode, dimensions, count, seed }
  return { spec, trials }
}
