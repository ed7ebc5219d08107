import { ref, shallowRef, watch, type Ref } from 'vue'
import type { GroupBy, RunGroups, TestForecasts } from '../../../shared/experiments'
import { toErrorData, type ErrorData } from '../../../shared/errors'
import type { RunTableSummary } from '../../../shared/run-table'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/**
 * Each compared run's forecasts over its test period. A run that has none (diverged, no
 * checkpoint) is listed with its error instead of failing the others.
 */
export function useTestForecasts(runIds: Ref<readonly number[]>) {
  const forecasts = shallowRef<TestForecasts[]>([])
  const failures = shallowRef<Array<{ runId: number; error: ErrorData }>>([])
  const loading = ref(false)
  let latest = 0
  watch(
    runIds,
    async (ids) => {
      const mine = ++latest
      loading.value = ids.length > 0
      const results = await Promise.all(ids.map((id) => api.getTestForecasts(id).then((value) => ({ id, value }), (error: unknown) => ({ id, error: toErrorData(error) }))))
      if (mine !== latest) return
      forecasts.value = results.flatMap((r) => ('value' in r ? [r.value] : []))
      failures.value = results.flatMap((r) => ('error' in r ? [{ runId: r.id, error: r.error }] : []))
      loading.value = false
    },
    { immediate: true },
  )
  return { forecasts, failures, loading }
}

/** The compared runs grouped by a setting or by seed, recomputed when the runs or the choice change. */
export function useRunGroups(runIds: Ref<readonly number[]>, summary: Ref<RunTableSummary>) {
  const by = ref<GroupBy>('seed')
  const metric = ref('test.mae')
  const groups = shallowRef<RunGroups | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  let latest = 0
  watch(
    [runIds, by, metric, summary],
    async ([ids]) => {
      const mine = ++latest
      if (ids.length === 0) return void (groups.value = null)
      const value = await attempt(() => api.groupRuns({ runIds: [...ids], by: by.value, metric: metric.value, summary: summary.value }))
      if (mine === latest) groups.value = value ?? null
    },
    { immediate: true, deep: true },
  )
  return { by, metric, groups, error, clearError: clear }
}
