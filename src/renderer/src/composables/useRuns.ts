import { onBeforeUnmount, shallowRef } from 'vue'
import type { RunSummary } from '../../../shared/api'
import { api, onEvent } from '../api'
import { useErrorSlot } from './useErrors'

/** The run list, refreshed whenever a run changes status. */
export function useRuns() {
  const runs = shallowRef<RunSummary[]>([])
  const { error, attempt, clear } = useErrorSlot()
  async function refresh(): Promise<void> {
    const list = await attempt(() => api.listRuns())
    if (list) runs.value = list
  }
  const off = onEvent((name) => {
    if (name === 'run:status') void refresh()
  })
  onBeforeUnmount(off)
  return { runs, error, clearError: clear, refresh }
}
