import { shallowRef, type ShallowRef } from 'vue'
import type { DatasetSummary, ImportPreview, ImportRequest, IssuedFile } from '../../../shared/api'
import { assertImportable } from '../../../shared/api-schemas'
import { api, openDroppedFile } from '../api'
import { withSetting, type PreviewSetting } from '../imports/settings'
import { useErrorSlot } from './useErrors'
import { useImportProgress, type ImportStage } from './useImportProgress'

const datasets = shallowRef<DatasetSummary[]>([])

const fromIssued = (file: IssuedFile | null): ImportRequest | null => (file === null ? null : { path: file.path, name: file.name.replace(/\.[^.]+$/, '') })

type Run<T> = (first: ImportStage, request: () => Promise<ImportRequest | null>) => Promise<T>

/** What the import preview offers: another setting (previewed again), import as shown, or cancel. */
function previewChoices(preview: ShallowRef<ImportPreview | null>, previewRequest: ShallowRef<ImportRequest | null>, runPreview: Run<void>, runImport: Run<DatasetSummary | undefined>) {
  function closePreview(): ImportRequest | null {
    const request = previewRequest.value
    preview.value = null
    previewRequest.value = null
    return request
  }
  return {
    changePreview: (setting: PreviewSetting, value: string) => {
      const request = previewRequest.value
      if (request !== null) return runPreview('import', async () => withSetting(request, setting, value))
    },
    confirmPreview: () => {
      const request = closePreview()
      return runImport('import', async () => request)
    },
    cancelPreview: () => void closePreview(),
  }
}

/** The ways a file reaches the preview: dropped or picked (streamed by the desktop host, else uploaded), or a native dialog. */
function fileChoices(tracker: ReturnType<typeof useImportProgress>, runPreview: Run<void>) {
  return {
    importFile: (file: File): Promise<void> => {
      const dropped = openDroppedFile(file)
      if (dropped !== null) return runPreview('import', async () => fromIssued(await dropped))
      tracker.uploading(file.size)
      return runPreview('upload', async () => fromIssued(await api.uploadCsv(file.name, new Uint8Array(await file.arrayBuffer()))))
    },
    importWithDialog: () => runPreview('choose', async () => fromIssued(await api.chooseImportFile())),
  }
}

/**
 * The dataset list, importing and its progress. A file (dropped, picked or chosen in a
 * native dialog) is previewed first — nothing is written until the preview is confirmed;
 * the sample is imported at once.
 */
export function useDatasets() {
  const { error, attempt, clear } = useErrorSlot()
  const tracker = useImportProgress()
  const lastImported = shallowRef<DatasetSummary | null>(null)
  const preview = shallowRef<ImportPreview | null>(null)
  const previewRequest = shallowRef<ImportRequest | null>(null)

  async function refresh(): Promise<void> {
    await attempt(async () => {
      datasets.value = await api.listDatasets()
    })
  }

  function runImport(first: ImportStage, request: () => Promise<ImportRequest | null>): Promise<DatasetSummary | undefined> {
    return tracker.track(first, async (reading) => {
      const summary = await attempt(async () => {
        const req = await request()
        if (req === null) return undefined
        reading()
        return api.importDataset(req)
      })
      if (summary) {
        tracker.finished()
        await refresh()
        lastImported.value = summary
      }
      return summary
    })
  }

  /** Reads the file as the import would and shows what it would make of it. */
  async function runPreview(first: ImportStage, request: () => Promise<ImportRequest | null>): Promise<void> {
    await tracker.track(first, (reading) =>
      attempt(async () => {
        const req = await request()
        if (req === null) return
        reading()
        lastImported.value = null
        preview.value = await api.previewImport(req)
        previewRequest.value = req
      }),
    )
  }

  return {
    datasets,
    error,
    clearError: clear,
    importing: tracker.importing,
    importProgress: tracker.importProgress,
    lastImported,
    refresh,
    preview,
    ...fileChoices(tracker, runPreview),
    ...previewChoices(preview, previewRequest, runPreview, runImport),
    importSample: () => runImport('import', async () => ({ sample: true })),
    remove: async (id: number) => {
      await attempt(() => api.deleteDataset(id))
      await refresh()
    },
    refuse: (name: string) => attempt(async () => assertImportable(name)),
  }
}
