import type { ErrorData } from './errors'
import type { SweepSpec } from './api-schemas'
import type { RunConfig, RunStatus } from './run-config'
import { isActiveStatus, isResumableStatus } from './run-status'

/** The sweep's requests are the schemas' types (src/shared/api-schemas.ts). */
export type { SweepDimension, SweepRequest, SweepSpec } from './api-schemas'

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

/** A trial's state from its run's status (null: no run) and its start error. */
export function trialState(runStatus: RunStatus | null, error: ErrorData | null): TrialState {
  if (runStatus === null) return error ? 'failed' : 'pending'
  if (isActiveStatus(runStatus)) return 'active'
  if (isResumableStatus(runStatus)) return 'resumable'
  return 'done'
}
