import { shallowRef, watch, type Ref } from 'vue'
import type { RunLabelChange, RunLabels } from '../../../shared/run-labels'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/** One run's tags and note, loaded when the run changes, and saved (then `onSaved`, e.g. to refresh the run table). */
export function useRunLabels(runId: Ref<number | null>, onSaved: (labels: RunLabels) => void = () => {}) {
  const labels = shallowRef<RunLabels | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  watch(
    runId,
    async (id) => {
      labels.value = null
      if (id === null) return
      const value = await attempt(() => api.getRunLabels(id))
      if (value && runId.value === id) labels.value = value
    },
    { immediate: true },
  )
  async function save(change: RunLabelChange): Promise<void> {
    const id = runId.value
    if (id === null) return
    const value = await attempt(() => api.changeRunLabels(id, change))
    if (!value) return
    // saved while another run was chosen: its editor must not show this run's labels
    if (runId.value === id) labels.value = value
    onSaved(value)
  }
  return { labels, save, error, clearError: clear }
}
