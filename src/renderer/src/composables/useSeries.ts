import { shallowRef, watch, type Ref } from 'vue'
import type { Series } from '../../../shared/api'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/** A dataset's columns, downsampled by the host for drawing. */
export function useSeries(datasetId: Ref<number | null>, maxPoints = 1500) {
  const series = shallowRef<Series | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  watch(
    datasetId,
    async (id) => {
      series.value = null
      if (id === null) return
      const value = await attempt(() => api.getSeries({ datasetId: id, maxPoints }))
      if (value && datasetId.value === id) series.value = value
    },
    { immediate: true },
  )
  return { series, error, clearError: clear }
}
