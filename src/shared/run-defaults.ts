import type { Frequency } from './api'

/**
 * Settings suggested from the data when the user gives none: the forecast horizon, the
 * lookback and the seasonal period from the frequency (one cycle ahead, a few cycles back),
 * and a training length counted in optimizer steps rather than epochs, because a short series
 * gives only a few batches an epoch. Pure: the CLI, the Train form and the bench share it.
 */
export interface ShapeSuggestion {
  horizon: number
  lookback: number
  /** null: the frequency has no usual cycle (yearly, irregular). */
  season: number | null
}

const BY_FREQUENCY: Partial<Record<string, ShapeSuggestion>> = {
  secondly: { horizon: 60, lookback: 240, season: 60 },
  minutely: { horizon: 60, lookback: 240, season: 60 },
  hourly: { horizon: 24, lookback: 168, season: 24 },
  daily: { horizon: 7, lookback: 28, season: 7 },
  // a trading week ahead, four back
  'business-daily': { horizon: 5, lookback: 20, season: 5 },
  weekly: { horizon: 4, lookback: 52, season: 52 },
  monthly: { horizon: 12, lookback: 36, season: 12 },
  quarterly: { horizon: 4, lookback: 16, season: 4 },
  yearly: { horizon: 5, lookback: 20, season: null },
}

/** Optimizer steps a run trains for at least, when its epochs are not given. */
export const DEFAULT_MIN_STEPS = 1000
/** The epoch count never goes beyond this by default, however small the data. */
export const MAX_SUGGESTED_EPOCHS = 400
/** Nor below this, however large. */
export const MIN_SUGGESTED_EPOCHS = 20
/** Suggested early-stopping patience is never below this many epochs. */
export const MIN_SUGGESTED_PATIENCE = 5

/** The frequency's horizon, lookback and season; null when it suggests nothing (irregular). */
export function shapeForFrequency(frequency: Frequency): ShapeSuggestion | null {
  const known = BY_FREQUENCY[frequency]
  if (known) return { ...known }
  const stepMs = Number(/^every (\d+(?:\.\d+)?)ms$/.exec(frequency)?.[1])
  const dayMs = 86_400_000
  if (!(stepMs > 0) || stepMs >= dayMs || dayMs % stepMs !== 0) return null
  // a sub-daily step: one day ahead, a week back, capped for very fine steps
  const perDay = dayMs / stepMs
  return { horizon: Math.min(perDay, 96), lookback: Math.min(perDay * 7, 672), season: perDay }
}

export interface SuggestionInput {
  frequency: Frequency
  rows: number
  horizon?: number
  lookback?: number
  epochs?: number
  patience?: number
  batch?: number
  valFraction?: number
  testFraction?: number
}

export interface RunSuggestion {
  horizon: number
  lookback: number
  epochs: number
  /** Early-stopping patience in epochs, about DEFAULT_PATIENCE_STEPS steps and never below 5. */
  patience: number
  /** The keys taken from the suggestion (the others were given). */
  suggested: Array<'horizon' | 'lookback' | 'epochs' | 'patience'>
  /** One line per suggestion, for the CLI and the form. */
  notes: string[]
}

/** Early stopping waits about this many optimizer steps without a better validation loss. */
export const DEFAULT_PATIENCE_STEPS = 300

/**
 * Fills what the user left out. The lookback shrinks (never below 2) so that at least a
 * third of the rows are windows' starts; epochs reach DEFAULT_MIN_STEPS steps at least.
 */
export function suggestRunSettings(input: SuggestionInput): RunSuggestion {
  const shape = shapeForFrequency(input.frequency)
  const suggested: RunSuggestion['suggested'] = []
  const notes: string[] = []
  const horizon = input.horizon ?? shape?.horizon ?? 24
  let lookback = input.lookback ?? shape?.lookback ?? 48
  if (input.horizon === undefined) {
    suggested.push('horizon')
    notes.push(`horizon ${horizon} (${shape ? `one ${input.frequency} cycle` : 'no cycle known for this frequency'})`)
  }
  if (input.lookback === undefined) {
    const fit = Math.max(2, Math.floor((input.rows * 2) / 3) - horizon)
    lookback = Math.min(lookback, fit)
    suggested.push('lookback')
    notes.push(`lookback ${lookback}${lookback < (shape?.lookback ?? 48) ? ` (shortened to fit ${input.rows} rows)` : shape ? ` (${input.frequency})` : ''}`)
  }
  const batch = input.batch ?? 32
  const windows = Math.max(1, input.rows - lookback - horizon + 1)
  const trainWindows = Math.max(1, Math.round(windows * (1 - (input.valFraction ?? 0.15) - (input.testFraction ?? 0.15))))
  const stepsPerEpoch = Math.ceil(trainWindows / batch)
  const epochs = input.epochs ?? Math.min(MAX_SUGGESTED_EPOCHS, Math.max(MIN_SUGGESTED_EPOCHS, Math.ceil(DEFAULT_MIN_STEPS / stepsPerEpoch)))
  if (input.epochs === undefined) {
    suggested.push('epochs')
    notes.push(`epochs ${epochs} (≈ ${epochs * stepsPerEpoch} steps of ${stepsPerEpoch} per epoch)`)
  }
  const patience = input.patience ?? Math.max(MIN_SUGGESTED_PATIENCE, Math.ceil(DEFAULT_PATIENCE_STEPS / stepsPerEpoch))
  if (input.patience === undefined) {
    suggested.push('patience')
    notes.push(`patience ${patience} epochs (≈ ${patience * stepsPerEpoch} steps)`)
  }
  return { horizon, lookback, epochs, patience, suggested, notes }
}
