import { computed, ref, shallowRef, watch, type Ref } from 'vue'
import type { RunSummary, TestPeriod } from '../../../shared/api'
import { testPeriodChartOption, testWindowView } from '../charts/test-period'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/** A completed run's test part and the window the slider points at (the latest one first). */
export function useTestPeriod(run: Ref<RunSummary | null>) {
  const period = shallowRef<TestPeriod | null>(null)
  const index = ref(0)
  const loading = ref(false)
  const { error, attempt, clear } = useErrorSlot()
  let latest = 0

  watch(
    () => (run.value?.status === 'completed' ? run.value.id : null),
    async (id) => {
      // a late answer for a run no longer shown is dropped
      const mine = ++latest
      period.value = null
      loading.value = id !== null
      if (id === null) return
      const value = await attempt(() => api.getTestPeriod(id))
      if (mine !== latest) return
      loading.value = false
      if (!value) return
      index.value = Math.max(0, value.windows.length - 1)
      period.value = value
    },
    { immediate: true },
  )

  // the window's view is built once per change of window, for the text and the chart alike
  const view = computed(() => (period.value ? testWindowView(period.value, index.value) : null))
  const option = computed(() => (period.value && view.value ? testPeriodChartOption(period.value, view.value) : null))
  return { period, index, view, option, loading, error, clearError: clear }
}
