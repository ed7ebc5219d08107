import type { ErrorData } from './errors'
import type { RunConfig, RunConfigInput, RunStatus } from './run-config'
import { isActiveStatus, isResumableStatus } from './run-status'

/** A setting a sweep varies: a RunConfig key and a list of values or (random draws) a range. */
export interface SweepDimension {
  key: string
  values?: Array<number | string>
  /** Drawn uniformly between min and max (log-uniformly with `log`); whole-number settings are rounded. */
  range?: { min: number; max: number; log: boolean }
}

export interface SweepSpec {
  mode: 'grid' | 'random'
  dimensions: SweepDimension[]
  /** Random draws only: how many, and the seed they are drawn with. */
  count?: number
  seed?: number
}

/**
 * Where a trial stands: `pending` (no run yet), `active` (its run trains), `resumable` (its run
 * was stopped or interrupted), `done` (its run ended: completed, diverged or failed) or `failed`
 * (no run could be started; `error` says why).
 */
export type TrialState = 'pending' | 'active' | 'resumable' | 'done' | 'failed'

export interface SweepTrial {
  trial: number
  values: Record<string, number | string>
  config: RunConfig
  runId: number | null
  runStatus: RunStatus | null
  state: TrialState
  error: ErrorData | null
}

export interface SweepDetail {
  id: number
  datasetId: number
  createdAt: string
  finishedAt: string | null
  spec: SweepSpec
  parallel: number
  trials: SweepTrial[]
  /** From the Api only: whether the answering host is working through the sweep now. */
  running?: boolean
}

/** What the Sweep form starts: the shared settings, what varies, and the runs at a time (default: what fits the machine). */
export interface SweepRequest {
  base: RunConfigInput
  spec: SweepSpec
  parallel?: number
}

/** A trial's state from its run's status (null: no run) and its start error. */
export function trialState(runStatus: RunStatus | null, error: ErrorData | null): TrialState {
  if (runStatus === null) return error ? 'failed' : 'pending'
  if (isActiveStatus(runStatus)) return 'active'
  if (isResumableStatus(runStatus)) return 'resumable'
  return 'done'
}
