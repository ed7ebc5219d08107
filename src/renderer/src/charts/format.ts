import type { RunStatus } from '../../../shared/run-config'

/** Pure formatters for tables and chart labels. */

/** Significant digits, plain notation for everyday magnitudes, exponent for tiny or huge ones. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—'
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  if (value === 0) return '0'
  const magnitude = Math.abs(value)
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(Math.max(0, digits - 1)).replace('e+', 'e')
  return Number(value.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 })
}

export function formatPercent(fraction: number | null | undefined, digits = 1): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—'
  return `${(fraction * 100).toFixed(digits)}%`
}

/** 75 → "1 min 15 s"; 3700 → "1 h 2 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—'
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - minutes * 60)} s`
  const hours = Math.floor(minutes / 60)
  return `${hours} h ${minutes - hours * 60} min`
}

/**
 * Remaining time from progress so far: elapsed × (1 − done) / (done − doneAtStart), where
 * doneAtStart is the fraction already done when the clock started (a page opened mid-run, a
 * resumed run). Null until there is something to extrapolate from.
 */
export function estimateRemainingSeconds(fractionDone: number, elapsedSeconds: number, doneAtStart = 0): number | null {
  if (fractionDone >= 1) return 0
  const gained = fractionDone - doneAtStart
  if (!(gained > 0) || !(elapsedSeconds > 0)) return null
  return (elapsedSeconds * (1 - fractionDone)) / gained
}

/** Time span between two ISO timestamps, in the largest sensible unit. */
export function formatSpan(startIso: string, endIso: string): string {
  const ms = Date.parse(endIso) - Date.parse(startIso)
  if (!Number.isFinite(ms)) return '—'
  const days = ms / 86_400_000
  if (days >= 730) return `${(days / 365.25).toFixed(1)} years`
  if (days >= 60) return `${(days / 30.44).toFixed(1)} months`
  if (days >= 2) return `${Math.round(days)} days`
  const hours = ms / 3_600_000
  if (hours >= 2) return `${Math.round(hours)} hours`
  return `${Math.round(ms / 60_000)} minutes`
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toISOString().replace('T', ' ').slice(0, 16)
}

/**
 * A dataset's time as its analyst reads it: a quarter, a year or a month for those
 * frequencies (times sit at the start of the period), else the wall clock of the dataset's
 * zone with the zone's name, else UTC.
 */
export function formatDatasetTime(iso: string | null | undefined, dataset: { frequency: string; timeZone?: string }): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const year = date.getUTCFullYear()
  if (dataset.frequency === 'yearly') return String(year)
  if (dataset.frequency === 'quarterly') return `${year}Q${Math.floor(date.getUTCMonth() / 3) + 1}`
  if (dataset.frequency === 'monthly') return iso.slice(0, 7)
  if (dataset.timeZone === undefined) return formatDate(iso)
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: dataset.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${dataset.timeZone}`
}

export type Tone = 'neutral' | 'active' | 'good' | 'warn' | 'bad'

export function statusTone(status: RunStatus): Tone {
  switch (status) {
    case 'running':
    case 'queued':
      return 'active'
    case 'completed':
      return 'good'
    case 'stopped':
    case 'interrupted':
      return 'warn'
    case 'diverged':
    case 'failed':
      return 'bad'
  }
}

const BASELINE_LABELS: Record<string, string> = { naive: 'Naive', seasonalNaive: 'Seasonal naive' }

/** `seasonalNaive` → "Seasonal naive": the baselines' names in tables, legends and metric rows. */
export function baselineLabel(name: string): string {
  return BASELINE_LABELS[name] ?? name
}

/** Labels for the comparison's metric rows: `test.mae[temp]` → "Test MAE · temp". */
export function metricLabel(key: string): string {
  const plain: Record<string, string> = { epochs: 'Epochs', bestEpoch: 'Best epoch', bestValLoss: 'Best val loss', recoveries: 'Recoveries' }
  if (plain[key]) return plain[key]
  const match = /^([A-Za-z]+)\.([A-Za-z]+)(?:\[(.+)\])?$/.exec(key)
  if (!match) return key
  const [, prefix, name, target] = match
  const prefixes: Record<string, string> = { test: 'Test', clip: 'Clipping', ...BASELINE_LABELS }
  const names: Record<string, string> = {
    mae: 'MAE', rmse: 'RMSE', smape: 'sMAPE', mase: 'MASE', threshold: 'threshold', fractionClipped: 'fraction clipped', maxPreClipNorm: 'max pre-clip norm',
  }
  return `${prefixes[prefix!] ?? prefix} ${names[name!] ?? name}${target ? ` · ${target}` : ''}`
}
