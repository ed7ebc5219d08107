import { onBeforeUnmount, ref, shallowRef } from 'vue'
import { byEvent, runFraction, type ApiEvents } from '../../../shared/api'
import type { SweepDetail, SweepRequest } from '../../../shared/sweeps'
import { api, onEvent } from '../api'
import { useErrorSlot } from './useErrors'

/**
 * The workspace's sweeps, refreshed as their trials start and end (sweep:progress) and their
 * runs change status, with each training run's fraction done; start, stop and resume.
 */
export function useSweeps() {
  const sweeps = shallowRef<SweepDetail[]>([])
  const fractions = shallowRef(new Map<number, number>())
  const busy = ref(false)
  const { error, attempt, clear } = useErrorSlot()
  /** Why a sweep stopped running, when it could not go on. */
  const sweepErrors = shallowRef(new Map<number, NonNullable<ApiEvents['sweep:progress']['error']>>())
  async function refresh(): Promise<void> {
    const list = await attempt(() => api.listSweeps())
    if (list) sweeps.value = list
  }
  let frame = 0
  const off = onEvent(
    byEvent((event) => {
      if (event.name === 'sweep:progress' || event.name === 'run:status') {
        if (event.name === 'sweep:progress' && event.payload.error) sweepErrors.value = new Map(sweepErrors.value).set(event.payload.sweepId, event.payload.error)
        void refresh()
      } else if (event.name === 'run:progress') {
        fractions.value.set(event.payload.runId, runFraction(event.payload))
        // many events a second: one redraw per frame
        if (frame === 0) frame = requestAnimationFrame(() => {
          frame = 0
          fractions.value = new Map(fractions.value)
        })
      }
    }),
  )
  onBeforeUnmount(() => {
    off()
    cancelAnimationFrame(frame)
  })
  async function act<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    try {
      const value = await attempt(action)
      await refresh()
      return value
    } finally {
      busy.value = false
    }
  }
  return {
    sweeps,
    fractions,
    sweepErrors,
    busy,
    refresh,
    start: (request: SweepRequest) => act(() => api.startSweep(request)),
    stop: (id: number) => act(() => api.stopSweep(id)),
    resume: (id: number) => act(() => api.resumeSweep(id)),
    error,
    clearError: clear,
  }
}
