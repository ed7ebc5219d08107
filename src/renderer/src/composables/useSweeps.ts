import { onBeforeUnmount, ref, shallowRef } from 'vue'
import { byEvent, runFraction, type ApiEvents } from '../../../shared/api'
import type { SweepDetail, SweepRequest } from '../../../shared/sweeps'
import { api, onEvent } from '../api'
import { useErrorSlot } from './useErrors'
import { sweepRefresher } from './sweep-refresh'

/**
 * The workspace's sweeps, each re-read alone (getSweep) as its trials start and end
 * (sweep:progress) and its runs change status, with each training run's fraction done; start,
 * stop and resume. The whole list is read once, when the view opens.
 */
export function useSweeps() {
  const sweeps = shallowRef<SweepDetail[]>([])
  const fractions = shallowRef(new Map<number, number>())
  const busy = ref(false)
  const { error, attempt, clear } = useErrorSlot()
  /** Why a sweep stopped running, when it could not go on. */
  const sweepErrors = shallowRef(new Map<number, NonNullable<ApiEvents['sweep:progress']['error']>>())
  const refresher = sweepRefresher({
    list: () => attempt(() => api.listSweeps()),
    read: (id) => attempt(() => api.getSweep(id)),
    shown: () => sweeps.value,
    show: (list) => (sweeps.value = list),
  })
  let frame = 0
  const off = onEvent(
    byEvent((event) => {
      if (event.name === 'sweep:progress') {
        if (event.payload.error) sweepErrors.value = new Map(sweepErrors.value).set(event.payload.sweepId, event.payload.error)
        void refresher.request(event.payload.sweepId)
      } else if (event.name === 'run:status') {
        refresher.runChanged(event.payload.runId)
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
  async function act<T>(action: () => Promise<T>, sweepId: (value: T | undefined) => number | undefined): Promise<T | undefined> {
    busy.value = true
    try {
      const value = await attempt(action)
      const id = sweepId(value)
      if (id !== undefined) await refresher.request(id)
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
    refresh: refresher.all,
    start: (request: SweepRequest) => act(() => api.startSweep(request), (sweep) => sweep?.id),
    stop: (id: number) => act(() => api.stopSweep(id), () => id),
    resume: (id: number) => act(() => api.resumeSweep(id), () => id),
    error,
    clearError: clear,
  }
}
