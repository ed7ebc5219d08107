import { ref } from 'vue'
import type { RunConfigInput } from '../../../shared/run-config'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/** Starting and stopping runs. */
export function useTraining() {
  const { error, attempt, clear } = useErrorSlot()
  const busy = ref(false)
  async function start(config: RunConfigInput): Promise<number | undefined> {
    busy.value = true
    try {
      return (await attempt(() => api.startRun(config)))?.runId
    } finally {
      busy.value = false
    }
  }
  async function stop(id: number): Promise<void> {
    await attempt(() => api.stopRun(id))
  }
  async function resume(id: number): Promise<number | undefined> {
    return (await attempt(() => api.resumeRun(id)))?.runId
  }
  return { start, stop, resume, busy, error, clearError: clear }
}
