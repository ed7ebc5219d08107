import { onBeforeUnmount, triggerRef, watch, type Ref } from 'vue'
import { byEvent, type Warning } from '../../../shared/api'
import { api, onEvent } from '../api'
import { addWarnings, applyRunEvent, clearRunState, eventRunId, loadRunState, runState, runViews } from './run-live'
import { useErrorSlot } from './useErrors'

/**
 * One run: its stored detail, overlaid with live events while it trains. Events land in
 * plain arrays and the refs are triggered at most once per animation frame, so a fast run
 * cannot flood Vue or the charts.
 */
export function useRun(runId: Ref<number | null>) {
  const state = runState()
  const views = runViews(state)
  const { error, attempt, clear } = useErrorSlot()

  let frame = 0
  function schedule(): void {
    if (frame !== 0) return
    frame = requestAnimationFrame(() => {
      frame = 0
      state.nowMs.value = Date.now()
      triggerRef(state.epochs)
      triggerRef(state.steps)
      triggerRef(state.recoveries)
    })
  }

  async function load(id: number): Promise<void> {
    const value = await attempt(() => api.getRun(id))
    if (value && runId.value === id) loadRunState(state, value)
  }

  watch(
    runId,
    (id) => {
      clearRunState(state)
      if (id !== null) void load(id)
    },
    { immediate: true },
  )

  const off = onEvent(
    byEvent((event) => {
      const id = runId.value
      if (id === null || eventRunId(event) !== id) return
      applyRunEvent(state, event, { schedule, reload: () => void load(id), fractionDone: () => views.fractionDone.value })
    }),
  )

  onBeforeUnmount(() => {
    off()
    cancelAnimationFrame(frame)
  })

  const { detail, epochs, steps, recoveries, warnings, progress, status } = state
  return { detail, epochs, steps, recoveries, warnings, progress, status, ...views, error, clearError: clear, addWarnings: (list: readonly Warning[]) => addWarnings(state, list), reload: () => (runId.value === null ? Promise.resolve() : load(runId.value)) }
}
