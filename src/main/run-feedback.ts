import { byEvent, runFraction, type ApiEventName, type ApiEvents } from '../shared/api'
import type { RunStatus } from '../shared/run-config'

/** What the window shows outside the page: one taskbar/dock progress value, and a note when a long run ends. */
export interface RunFeedbackView {
  setProgress(fraction: number | null): void
  notify(title: string, body: string): void
  isFocused(): boolean
}

const ENDED: readonly RunStatus[] = ['completed', 'stopped', 'diverged', 'failed', 'interrupted']

/**
 * Follows run events: the progress bar is the mean fraction of the runs in flight (cleared when
 * none is), and a run that trained at least `notifyAfterMs` and ends while the window is not
 * focused raises a notification.
 */
export function runFeedback(view: RunFeedbackView, notifyAfterMs = 20_000, now = () => Date.now()): <E extends ApiEventName>(name: E, payload: ApiEvents[E]) => void {
  const fractions = new Map<number, number>()
  const startedAt = new Map<number, number>()
  const show = (): void => view.setProgress(fractions.size === 0 ? null : [...fractions.values()].reduce((a, b) => a + b, 0) / fractions.size)
  return byEvent((event) => {
    if (event.name === 'run:progress') {
      const progress = event.payload
      if (!startedAt.has(progress.runId)) startedAt.set(progress.runId, now())
      fractions.set(progress.runId, runFraction(progress))
      show()
    } else if (event.name === 'run:status') {
      const { runId, status, error } = event.payload
      if (status === 'running' && !startedAt.has(runId)) startedAt.set(runId, now())
      if (!ENDED.includes(status)) return
      const started = startedAt.get(runId)
      fractions.delete(runId)
      startedAt.delete(runId)
      show()
      if (started !== undefined && now() - started >= notifyAfterMs && !view.isFocused()) {
        view.notify(`Run #${runId} ${status}`, error?.message ?? (status === 'completed' ? 'Its metrics and forecast are ready in Clipcast.' : 'Open Clipcast to see what happened and resume it.'))
      }
    }
  })
}
