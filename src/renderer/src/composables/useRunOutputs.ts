import { ref, shallowRef, watch, type Ref } from 'vue'
import type { Forecast, RunSummary, Series } from '../../../shared/api'
import { api, downloadFile } from '../api'
import { useErrorSlot } from './useErrors'

/** A finished run's forecast (with the end of its history) and its CSV exports. */
export function useRunOutputs(run: Ref<RunSummary | null>) {
  const forecast = shallowRef<Forecast | null>(null)
  const history = shallowRef<Series | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  const lastExport = shallowRef<{ name: string; rows: number } | null>(null)
  /** The first forecast of a run loads its model in a worker: seconds, worth saying. */
  const computing = ref(false)
  const exporting = ref(false)
  let latest = 0

  watch(
    () => (run.value?.status === 'completed' ? run.value.id : null),
    async (id) => {
      // every change of run owns the outputs from here on; an older request that answers late is dropped
      const mine = ++latest
      forecast.value = null
      history.value = null
      computing.value = false
      if (id === null || !run.value) return
      const datasetId = run.value.datasetId
      computing.value = true
      const value = await attempt(() => api.forecast(id))
      if (mine !== latest) return
      computing.value = false
      if (!value) return
      forecast.value = value
      const series = await attempt(() => api.getSeries({ datasetId, columns: Object.keys(value.values), last: Math.max(value.horizon * 4, 96), maxPoints: 1000 }))
      if (series && mine === latest) history.value = series
    },
    { immediate: true },
  )

  async function exportCsv(what: 'forecast' | 'test'): Promise<void> {
    const id = run.value?.id
    if (id === undefined || exporting.value) return
    exporting.value = true
    await attempt(async () => {
      const target = await api.chooseExportFile({ runId: id, what })
      if (target === null) return
      const result = await api.exportRun({ runId: id, what, path: target.path })
      lastExport.value = { name: target.name, rows: result.rows }
      if (target.downloadUrl) downloadFile(target.downloadUrl, target.name)
    }).finally(() => (exporting.value = false))
  }

  return { forecast, history, computing, exporting, exportCsv, lastExport, error, clearError: clear }
}

