import { computed, ref, shallowRef } from 'vue'
import { runFraction, type ApiEvent, type ApiEvents, type EpochRecord, type Recovery, type RunDetail, type Warning } from '../../../shared/api'
import type { RunStatus } from '../../../shared/run-config'
import { isActiveStatus } from '../../../shared/run-status'
import { estimateRemainingSeconds } from '../charts/format'
import { gradNormChartOption, lossChartOption, type StepNorm } from '../charts/options'

const MAX_STEP_POINTS = 5000
const TERMINAL: RunStatus[] = ['completed', 'stopped', 'diverged', 'failed', 'interrupted']

type Progress = ApiEvents['run:progress']

/** What a view of one run holds: the stored detail, overlaid with what live events add. */
export function runState() {
  return {
    detail: shallowRef<RunDetail | null>(null),
    epochs: shallowRef<EpochRecord[]>([]),
    steps: shallowRef<StepNorm[]>([]),
    recoveries: shallowRef<Recovery[]>([]),
    warnings: shallowRef<Warning[]>([]),
    progress: shallowRef<Progress | null>(null),
    status: ref<RunStatus | null>(null),
    startedAtMs: ref<number | null>(null),
    /** The fraction already done when this page first saw the run train: the ETA counts from there. */
    doneAtStart: ref(0),
    nowMs: ref(Date.now()),
  }
}

export type RunState = ReturnType<typeof runState>

/** Forgets everything of the previous run. */
export function clearRunState(state: RunState): void {
  state.detail.value = null
  state.epochs.value = []
  state.steps.value = []
  state.recoveries.value = []
  state.warnings.value = []
  state.progress.value = null
  state.status.value = null
  state.startedAtMs.value = null
  state.doneAtStart.value = 0
}

/** The stored run, as the starting point live events add to. */
export function loadRunState(state: RunState, value: RunDetail): void {
  state.detail.value = value
  state.epochs.value = [...value.epochRecords]
  state.recoveries.value = [...value.recoveries]
  state.warnings.value = [...value.warnings]
  state.status.value = value.status
}

/** The run an event is about; null for events of no run (datasets, menu commands) and for a sweep's, which are about the sweep. */
export function eventRunId(event: ApiEvent): number | null {
  if (!event.name.startsWith('run:')) return null
  return 'runId' in event.payload ? (event.payload.runId ?? null) : null
}

/**
 * Adds one live event of the run to its state. Arrays that change every step are mutated in
 * place and drawn by `schedule` (once per animation frame); `reload` reads the stored run once it ends.
 */
export function applyRunEvent(state: RunState, event: ApiEvent, hooks: { schedule: () => void; reload: () => void; fractionDone: () => number }): void {
  switch (event.name) {
    case 'run:progress': {
      const p = event.payload
      state.progress.value = p
      if (state.startedAtMs.value === null) {
        state.startedAtMs.value = Date.now()
        state.doneAtStart.value = hooks.fractionDone()
      }
      const list = state.steps.value
      const first = p.step - p.gradNorms.length + 1
      p.gradNorms.forEach((norm, i) => list.push({ x: p.epoch - 1 + (first + i) / Math.max(1, p.stepsPerEpoch), norm }))
      if (list.length > MAX_STEP_POINTS) list.splice(0, list.length - MAX_STEP_POINTS)
      return hooks.schedule()
    }
    case 'run:epoch': {
      const { record } = event.payload
      const list = state.epochs.value.filter((e) => e.epoch !== record.epoch)
      list.push(record)
      list.sort((a, b) => a.epoch - b.epoch)
      state.epochs.value = list
      return
    }
    case 'run:recovered':
      state.recoveries.value.push(event.payload.recovery)
      return hooks.schedule()
    case 'run:warning':
      return addWarnings(state, [event.payload.warning])
    case 'run:status':
      state.status.value = event.payload.status
      if (TERMINAL.includes(event.payload.status)) hooks.reload()
      return
  }
}

/** Adds the warnings the run does not show yet: the run stores each once, and a resume or a forecast raises its data warnings again. */
export function addWarnings(state: RunState, warnings: readonly Warning[]): void {
  const fresh = warnings.filter((warning, i) => ![...state.warnings.value, ...warnings.slice(0, i)].some((w) => w.code === warning.code && w.message === warning.message))
  if (fresh.length > 0) state.warnings.value = [...state.warnings.value, ...fresh]
}

/** What views draw from the state: progress, ETA, the clip threshold line and the two live charts. */
export function runViews(state: RunState) {
  const fractionDone = computed(() => {
    if (state.status.value === 'completed') return 1
    const p = state.progress.value
    if (!p) {
      const total = state.detail.value?.config.epochs ?? 0
      return total > 0 ? state.epochs.value.length / total : 0
    }
    return runFraction(p)
  })

  const etaSeconds = computed(() => {
    if (state.startedAtMs.value === null || state.status.value !== 'running') return null
    return estimateRemainingSeconds(fractionDone.value, (state.nowMs.value - state.startedAtMs.value) / 1000, state.doneAtStart.value)
  })

  const threshold = computed(() => {
    const epochs = state.epochs.value
    const last = epochs[epochs.length - 1]
    if (last && last.clipThreshold !== null) return last.clipThreshold
    const config = state.detail.value?.config
    // AutoClip's threshold is known only once a step has run
    return config && config.clip !== 'none' && config.clip !== 'auto' ? config.clipThreshold : null
  })

  const active = computed(() => state.status.value !== null && isActiveStatus(state.status.value))

  // the two live charts every view of a run draws, built once here
  const lossOption = computed(() => lossChartOption(state.epochs.value, state.recoveries.value))
  const gradOption = computed(() => gradNormChartOption(state.epochs.value, threshold.value, state.steps.value))

  return { fractionDone, etaSeconds, threshold, active, lossOption, gradOption }
}
