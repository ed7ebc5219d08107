import { shallowRef } from 'vue'
import type { Comparison } from '../../../shared/api'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

export function useComparison() {
  const comparison = shallowRef<Comparison | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  async function compare(ids: number[]): Promise<void> {
    const value = await attempt(() => api.compareRuns(ids))
    if (value) comparison.value = value
  }
  return { comparison, compare, error, clearError: clear }
}
