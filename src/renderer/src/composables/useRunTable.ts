import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import type { RunTable, RunTableSummary } from '../../../shared/run-table'
import { api, downloadFile, onEvent } from '../api'
import type { RunCurve } from '../charts/experiments'
import { useErrorSlot } from './useErrors'

/** The run table (every setting and metric), refreshed when a run changes status, and its CSV export. */
export function useRunTable() {
  const table = shallowRef<RunTable | null>(null)
  const summary = ref<RunTableSummary>('best')
  const exporting = ref(false)
  const lastExport = shallowRef<{ name: string; rows: number } | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  async function refresh(): Promise<void> {
    const value = await attempt(() => api.getRunTable({ summary: summary.value }))
    if (value) table.value = value
  }
  watch(summary, refresh)
  const off = onEvent((name) => {
    if (name === 'run:status') void refresh()
  })
  onBeforeUnmount(off)
  async function exportCsv(): Promise<void> {
    if (exporting.value) return
    exporting.value = true
    await attempt(async () => {
      const target = await api.chooseRunTableFile()
      if (target === null) return
      const result = await api.exportRunTable({ summary: summary.value, path: target.path })
      lastExport.value = { name: target.name, rows: result.rows }
      if (target.downloadUrl) downloadFile(target.downloadUrl, target.name)
    }).finally(() => (exporting.value = false))
  }
  return { table, summary, refresh, exportCsv, exporting, lastExport, error, clearError: clear }
}

/** Each chosen run's epochs, for curves overlaid in one chart. */
export function useRunCurves(runIds: Ref<readonly number[]>) {
  const curves = shallowRef<RunCurve[]>([])
  const { error, attempt, clear } = useErrorSlot()
  let latest = 0
  watch(
    runIds,
    async (ids) => {
      const mine = ++latest
      const details = await attempt(() => Promise.all(ids.map((id) => api.getRun(id))))
      if (details && mine === latest) curves.value = details.map((d) => ({ runId: d.id, epochs: d.epochRecords }))
    },
    { immediate: true },
  )
  return { curves, error, clearError: clear }
}
