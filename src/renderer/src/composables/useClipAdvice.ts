import { shallowRef, watch, type Ref } from 'vue'
import type { ClipAdvice, ClipSuggestion, RunDetail } from '../../../shared/api'
import type { RunConfigInput } from '../../../shared/run-config'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/** The run's config with only the suggestion's clipping fields replaced: the "rerun with this clipping" config. */
export function rerunConfig(config: RunConfigInput, suggestion: ClipSuggestion): RunConfigInput {
  return { ...config, ...suggestion.config }
}

/**
 * A run's gradient diagnosis and clip suggestions, fetched again whenever its stored epochs
 * change. A run without step norms yet (NO_STEP_NORMS) has no advice, which is not an error.
 */
export function useClipAdvice(detail: Ref<RunDetail | null>) {
  const advice = shallowRef<ClipAdvice | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  let latest = 0
  watch(
    () => (detail.value ? `${detail.value.id}:${detail.value.epochRecords.length}:${detail.value.status}` : null),
    async (key) => {
      const mine = ++latest
      advice.value = null
      const id = detail.value?.id
      if (key === null || id === undefined || (detail.value!.epochRecords.length === 0 && detail.value!.status !== 'diverged')) return
      const value = await attempt(() => api.getClipAdvice(id))
      if (mine !== latest) return
      if (error.value?.code === 'NO_STEP_NORMS') clear()
      advice.value = value ?? null
    },
    { immediate: true },
  )
  return { advice, error, clearError: clear }
}
