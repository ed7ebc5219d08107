/** Every state a run can be in; docs/architecture.md (Liveness) says who moves it between them. */
export const RUN_STATUSES = ['queued', 'running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/** A run that holds, or is about to hold, a training process: queued or running. */
export function isActiveStatus(status: string): status is 'queued' | 'running' {
  return status === 'queued' || status === 'running'
}

/** A run that ended early with its checkpoints kept, so it can be resumed: stopped or interrupted. */
export function isResumableStatus(status: string): status is 'stopped' | 'interrupted' {
  return status === 'stopped' || status === 'interrupted'
}
