import { onBeforeUnmount, ref, shallowRef } from 'vue'
import type { DatasetSummary, IssuedFile } from '../../../shared/api'
import type { ImportRequest } from '../../../shared/api'
import { assertImportable } from '../../../shared/api-schemas'
import { api, onEvent } from '../api'
import { useErrorSlot } from './useErrors'

const datasets = shallowRef<DatasetSummary[]>([])

/** The dataset list, importing (file, drop, native dialog or the sample) and its progress. */
export function useDatasets() {
  const { error, attempt, clear } = useErrorSlot()
  const importing = ref(false)
  const progress = ref(0)
  const lastImported = shallowRef<DatasetSummary | null>(null)

  const off = onEvent((name, payload) => {
    if (name === 'dataset:progress') progress.value = (payload as { fraction: number }).fraction
  })
  onBeforeUnmount(off)

  async function refresh(): Promise<void> {
    await attempt(async () => {
      datasets.value = await api.listDatasets()
    })
  }

  async function runImport(request: () => Promise<ImportRequest | null>): Promise<DatasetSummary | undefined> {
    importing.value = true
    progress.value = 0
    try {
      const summary = await attempt(async () => {
        const req = await request()
        return req === null ? undefined : api.importDataset(req)
      })
      if (summary) {
        lastImported.value = summary
        progress.value = 1
        await refresh()
      }
      return summary
    } finally {
      importing.value = false
    }
  }

  const fromIssued = (file: IssuedFile | null): ImportRequest | null => (file === null ? null : { path: file.path, name: file.name.replace(/\.[^.]+$/, '') })

  return {
    datasets,
    error,
    clearError: clear,
    importing,
    progress,
    lastImported,
    refresh,
    importFile: (file: File) => runImport(async () => fromIssued(await api.uploadCsv(file.name, new Uint8Array(await file.arrayBuffer())))),
    importWithDialog: () => runImport(async () => fromIssued(await api.chooseImportFile())),
    importSample: () => runImport(async () => ({ sample: true })),
    remove: async (id: number) => {
      await attempt(() => api.deleteDataset(id))
      await refresh()
    },
    refuse: (name: string) => attempt(async () => assertImportable(name)),
  }
}
