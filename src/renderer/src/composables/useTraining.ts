import { ref } from 'vue'
import type { RunConfigInput } from '../../../shared/run-config'
import { api } from '../api'
import { useErrorSlot } from './useErrors'

/** The run last started from this page: the Train view shows it again when the user comes back. */
const lastStarted = ref<number | null>(null)

/** Starting and stopping runs. */
export function useTraining() {
  const { error, attempt, clear } = useErrorSlot()
  const busy = ref(false)
  async function start(config: RunConfigInput): Promise<number | undefined> {
    busy.value = true
    try {
      const runId = (await attempt(() => api.startRun(config)))?.runId
      if (runId !== undefined) lastStarted.value = runId
      return runId
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
  return { start, stop, resume, busy, lastStarted, error, clearError: clear }
}
