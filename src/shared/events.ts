import type { DatasetSummary, EpochRecord, Recovery, Warning } from './api'
import type { ApiEventListener } from './api-bridge'
import type { ErrorData } from './errors'
import type { RunStatus } from './run-status'

/** What the hosts push to the page, by name: one payload type per event. */
export interface ApiEvents {
  'run:progress': { runId: number; epoch: number; totalEpochs: number; step: number; stepsPerEpoch: number; loss: number; gradNorms: number[] }
  'run:epoch': { runId: number; record: EpochRecord }
  'run:status': { runId: number; status: RunStatus; error?: ErrorData }
  'run:recovered': { runId: number; recovery: Recovery }
  /** A warning the run stored (RunDetail.warnings) as it was raised. */
  'run:warning': { runId: number; warning: Warning }
  /** A sweep's trial's run started or ended (`runId`), or the host began or stopped working through it (`running`; `error` when it could not go on). */
  'sweep:progress': { sweepId: number; running: boolean; runId?: number; error?: ErrorData }
  'dataset:progress': { fraction: number; rows: number }
  'dataset:imported': { dataset: DatasetSummary }
  /** Desktop only: a menu item or its accelerator that the page carries out. */
  'app:command': { command: AppCommand }
}

/** What the desktop menu asks the page to do. */
export type AppCommand = 'import' | 'view:datasets' | 'view:train' | 'view:sweep' | 'view:runs' | 'view:compare' | 'train:start' | 'train:stop'

export type ApiEventName = keyof ApiEvents

/** Every event name, for hosts that subscribe by name (Server-Sent Events): an event missing here is a compile error. */
export const API_EVENTS = {
  'run:progress': 1,
  'run:epoch': 1,
  'run:status': 1,
  'run:recovered': 1,
  'run:warning': 1,
  'sweep:progress': 1,
  'dataset:progress': 1,
  'dataset:imported': 1,
  'app:command': 1,
} satisfies Record<ApiEventName, 1>

/**
 * One event as one value of a discriminated union: a consumer switches on `event.name` and the
 * payload narrows with it, so no consumer casts (a renamed field fails to compile).
 */
export type ApiEvent = { [E in ApiEventName]: { name: E; payload: ApiEvents[E] } }[ApiEventName]

/** Joins a (name, payload) pair, as hosts and the training manager emit it, into the union. */
export function toApiEvent<E extends ApiEventName>(name: E, payload: ApiEvents[E]): ApiEvent {
  // the one place the pair is joined: TypeScript cannot relate a generic E to one member of the union
  return { name, payload } as ApiEvent
}

/** A (name, payload) listener that hands each event to `handler` as the union. */
export function byEvent(handler: (event: ApiEvent) => void): ApiEventListener {
  return (name, payload) => handler(toApiEvent(name, payload))
}

/** Fraction of a run done from one progress event: epochs before this one plus the steps of this one. */
export function runFraction(progress: Pick<ApiEvents['run:progress'], 'epoch' | 'totalEpochs' | 'step' | 'stepsPerEpoch'>): number {
  const total = progress.totalEpochs * progress.stepsPerEpoch
  if (total <= 0) return 0
  return Math.min(1, Math.max(0, ((progress.epoch - 1) * progress.stepsPerEpoch + progress.step) / total))
}
