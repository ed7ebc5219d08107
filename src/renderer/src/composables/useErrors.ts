import { shallowRef } from 'vue'
import { toErrorData, type ErrorData } from '../../../shared/errors'

/** One error slot per view: runs an action and keeps its failure (message + hint) for display. */
export function useErrorSlot() {
  const error = shallowRef<ErrorData | null>(null)
  async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    error.value = null
    try {
      return await action()
    } catch (thrown) {
      error.value = toErrorData(thrown)
      return undefined
    }
  }
  return { error, attempt, clear: () => (error.value = null) }
}
