import { ref } from 'vue'
import { api } from '../api'
import { explodingGradientRuns } from '../presets'
import { useErrorSlot } from './useErrors'

/** The exploding-gradients demonstration: imports the sample (once) and starts the unclipped and the clipped run together. */
export function useExplodingDemo() {
  const { error, attempt, clear } = useErrorSlot()
  const busy = ref(false)
  const unclippedId = ref<number | null>(null)
  const clippedId = ref<number | null>(null)
  async function start(): Promise<void> {
    busy.value = true
    try {
      await attempt(async () => {
        // importing the same bytes again returns the dataset already there
        const sample = await api.importDataset({ sample: true })
        const { unclipped, clipped } = explodingGradientRuns(sample.id)
        const [a, b] = await Promise.all([api.startRun(unclipped), api.startRun(clipped)])
        unclippedId.value = a.runId
        clippedId.value = b.runId
      })
    } finally {
      busy.value = false
    }
  }
  return { start, busy, unclippedId, clippedId, error, clearError: clear }
}
