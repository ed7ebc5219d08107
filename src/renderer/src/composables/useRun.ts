import { computed, onBeforeUnmount, ref, shallowRef, triggerRef, watch, type Ref } from 'vue'
import type { ApiEvents, EpochRecord, Recovery, RunDetail, Warning } from '../../../shared/api'
import type { RunStatus } from '../../../shared/run-config'
import { isActiveStatus } from '../../../shared/run-status'
import { api, onEvent } from '../api'
import { estimateRemainingSeconds } from '../charts/format'
import { gradNormChartOption, lossChartOption, type StepNorm } from '../charts/options'
import { useErrorSlot } from './useErrors'

const MAX_STEP_POINTS = 5000
const TERMINAL: RunStatus[] = ['completed', 'stopped', 'diverged', 'failed', 'interrupted']

type Progress = ApiEvents['run:progress']

/**
 * One run: its stored detail, overlaid with live events while it trains. Events land in
 * plain arrays and the refs are triggered at most once per animation frame, so a fast run
 * cannot flood Vue or the charts.
 */
export function useRun(runId: Ref<number | null>) {
  const detail = shallowRef<RunDetail | null>(null)
  const epochs = shallowRef<EpochRecord[]>([])
  const steps = shallowRef<StepNorm[]>([])
  const recoveries = shallowRef<Recovery[]>([])
  const warnings = shallowRef<Warning[]>([])
  const progress = shallowRef<Progress | null>(null)
  const status = ref<RunStatus | null>(null)
  const startedAtMs = ref<number | null>(null)
  /** The fraction already done when this page first saw the run train: the ETA counts from there. */
  const doneAtStart = ref(0)
  const nowMs = ref(Date.now())
  const { error, attempt, clear } = useErrorSlot()

  let frame = 0
  function schedule(): void {
    if (frame !== 0) return
    frame = requestAnimationFrame(() => {
      frame = 0
      nowMs.value = Date.now()
      triggerRef(epochs)
      triggerRef(steps)
      triggerRef(recoveries)
    })
  }

  async function load(id: number): Promise<void> {
    const value = await attempt(() => api.getRun(id))
    if (!value || runId.value !== id) return
    detail.value = value
    epochs.value = [...value.epochRecords]
    recoveries.value = [...value.recoveries]
    warnings.value = [...value.warnings]
    status.value = value.status
  }

  watch(
    runId,
    (id) => {
      detail.value = null
      epochs.value = []
      steps.value = []
      recoveries.value = []
      warnings.value = []
      progress.value = null
      status.value = null
      startedAtMs.value = null
      doneAtStart.value = 0
      if (id !== null) void load(id)
    },
    { immediate: true },
  )

  const off = onEvent((name, payload) => {
    const id = runId.value
    if (id === null || (payload as { runId: number }).runId !== id) return
    if (name === 'run:progress') {
      const p = payload as Progress
      progress.value = p
      if (startedAtMs.value === null) {
        startedAtMs.value = Date.now()
        doneAtStart.value = fractionDone.value
      }
      const list = steps.value
      const first = p.step - p.gradNorms.length + 1
      p.gradNorms.forEach((norm, i) => list.push({ x: p.epoch - 1 + (first + i) / Math.max(1, p.stepsPerEpoch), norm }))
      if (list.length > MAX_STEP_POINTS) list.splice(0, list.length - MAX_STEP_POINTS)
      schedule()
    } else if (name === 'run:epoch') {
      const record = (payload as ApiEvents['run:epoch']).record
      const list = epochs.value.filter((e) => e.epoch !== record.epoch)
      list.push(record)
      list.sort((a, b) => a.epoch - b.epoch)
      epochs.value = list
    } else if (name === 'run:recovered') {
      recoveries.value.push((payload as ApiEvents['run:recovered']).recovery)
      schedule()
    } else if (name === 'run:warning') {
      const warning = (payload as ApiEvents['run:warning']).warning
      // the run stores each warning once; a resume raises its data warnings again
      if (!warnings.value.some((w) => w.code === warning.code && w.message === warning.message)) warnings.value = [...warnings.value, warning]
    } else if (name === 'run:status') {
      const next = (payload as ApiEvents['run:status']).status
      status.value = next
      if (TERMINAL.includes(next)) void load(id)
    }
  })

  onBeforeUnmount(() => {
    off()
    cancelAnimationFrame(frame)
  })

  const fractionDone = computed(() => {
    if (status.value === 'completed') return 1
    const p = progress.value
    if (!p) {
      const total = detail.value?.config.epochs ?? 0
      return total > 0 ? epochs.value.length / total : 0
    }
    return Math.min(1, (p.epoch - 1 + p.step / Math.max(1, p.stepsPerEpoch)) / Math.max(1, p.totalEpochs))
  })

  const etaSeconds = computed(() => {
    if (startedAtMs.value === null || status.value !== 'running') return null
    return estimateRemainingSeconds(fractionDone.value, (nowMs.value - startedAtMs.value) / 1000, doneAtStart.value)
  })

  const threshold = computed(() => {
    const last = epochs.value[epochs.value.length - 1]
    if (last && last.clipThreshold !== null) return last.clipThreshold
    const config = detail.value?.config
    // AutoClip's threshold is known only once a step has run
    return config && config.clip !== 'none' && config.clip !== 'auto' ? config.clipThreshold : null
  })

  const active = computed(() => status.value !== null && isActiveStatus(status.value))

  // the two live charts every view of a run draws, built once here
  const lossOption = computed(() => lossChartOption(epochs.value, recoveries.value))
  const gradOption = computed(() => gradNormChartOption(epochs.value, threshold.value, steps.value))

  return { detail, epochs, steps, recoveries, warnings, progress, status, fractionDone, etaSeconds, threshold, active, lossOption, gradOption, error, clearError: clear, reload: () => (runId.value === null ? Promise.resolve() : load(runId.value)) }
}
