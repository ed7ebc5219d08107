import { shallowRef, watch, type Ref } from 'vue'
import type { Forecast, RunSummary, Series } from '../../../shared/api'
import { api, downloadFile } from '../api'
import { useErrorSlot } from './useErrors'

/** A finished run's forecast (with the end of its history) and its CSV exports. */
export function useRunOutputs(run: Ref<RunSummary | null>) {
  const forecast = shallowRef<Forecast | null>(null)
  const history = shallowRef<Series | null>(null)
  const { error, attempt, clear } = useErrorSlot()
  const lastExport = shallowRef<{ name: string; rows: number } | null>(null)

  watch(
    () => (run.value?.status === 'completed' ? run.value.id : null),
    async (id) => {
      forecast.value = null
      history.value = null
      if (id === null || !run.value) return
      const datasetId = run.value.datasetId
      const value = await attempt(() => api.forecast(id))
      if (!value) return
      forecast.value = value
      const series = await attempt(() => api.getSeries({ datasetId, columns: Object.keys(value.values), last: Math.max(value.horizon * 4, 96), maxPoints: 1000 }))
      if (series) history.value = series
    },
    { immediate: true },
  )

  async function exportCsv(what: 'forecast' | 'test'): Promise<void> {
    const id = run.value?.id
    if (id === undefined) return
    await attempt(async () => {
      const target = await api.chooseExportFile({ runId: id, what })
      if (target === null) return
      const result = await api.exportRun({ runId: id, what, path: target.path })
      lastExport.value = { name: target.name, rows: result.rows }
      if (target.downloadUrl) downloadFile(target.downloadUrl, target.name)
    })
  }

  return { forecast, history, exportCsv, lastExport, error, clearError: clear }
}

