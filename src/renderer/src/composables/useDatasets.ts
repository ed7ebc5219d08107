import { computed, onBeforeUnmount, ref, shallowRef } from 'vue'
import type { ApiEvents, DatasetSummary, ImportPreview, ImportRequest, IssuedFile } from '../../../shared/api'
import { assertImportable } from '../../../shared/api-schemas'
import { api, onEvent, openDroppedFile } from '../api'
import { withSetting, type PreviewSetting } from '../imports/settings'
import { useErrorSlot } from './useErrors'

const datasets = shallowRef<DatasetSummary[]>([])

/**
 * The dataset list, importing and its progress. A file (dropped, picked or chosen in a
 * native dialog) is previewed first — nothing is written until the preview is confirmed;
 * the sample is imported at once.
 */
export function useDatasets() {
  const { error, attempt, clear } = useErrorSlot()
  const importing = ref(false)
  const progress = ref(0)
  const rowsRead = ref(0)
  /** choose: a native dialog is open; upload: the browser sends the file (fetch reports no progress); import: the host reads it. */
  const stage = ref<'choose' | 'upload' | 'import'>('import')
  const uploadBytes = ref(0)
  const lastImported = shallowRef<DatasetSummary | null>(null)
  const preview = shallowRef<ImportPreview | null>(null)
  const previewRequest = shallowRef<ImportRequest | null>(null)

  const off = onEvent((name, payload) => {
    if (name !== 'dataset:progress') return
    const { fraction, rows } = payload as ApiEvents['dataset:progress']
    progress.value = fraction
    rowsRead.value = rows
  })
  onBeforeUnmount(off)

  async function refresh(): Promise<void> {
    await attempt(async () => {
      datasets.value = await api.listDatasets()
    })
  }

  async function runImport(first: 'choose' | 'upload' | 'import', request: () => Promise<ImportRequest | null>): Promise<DatasetSummary | undefined> {
    importing.value = true
    stage.value = first
    progress.value = 0
    rowsRead.value = 0
    try {
      const summary = await attempt(async () => {
        const req = await request()
        if (req === null) return undefined
        stage.value = 'import'
        return api.importDataset(req)
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

  /** Reads the file as the import would and shows what it would make of it. */
  async function runPreview(first: 'choose' | 'upload' | 'import', request: () => Promise<ImportRequest | null>): Promise<void> {
    importing.value = true
    stage.value = first
    progress.value = 0
    rowsRead.value = 0
    try {
      await attempt(async () => {
        const req = await request()
        if (req === null) return
        stage.value = 'import'
        preview.value = await api.previewImport(req)
        previewRequest.value = req
      })
    } finally {
      importing.value = false
    }
  }

  function confirmPreview(): Promise<DatasetSummary | undefined> {
    const request = previewRequest.value
    preview.value = null
    previewRequest.value = null
    return runImport('import', async () => request)
  }

  /** What the progress bar shows, or null while nothing is being imported (or a dialog is open). */
  const importProgress = computed(() => {
    if (!importing.value || stage.value === 'choose') return null
    if (stage.value === 'upload') return { label: 'Uploading', value: 0, detail: `sending ${(uploadBytes.value / 1e6).toFixed(1)} MB` }
    const percent = `${Math.round(progress.value * 100)}%`
    return { label: 'Importing', value: progress.value, detail: rowsRead.value > 0 ? `${percent} · ${rowsRead.value.toLocaleString('en-US')} rows` : percent }
  })

  const fromIssued = (file: IssuedFile | null): ImportRequest | null => (file === null ? null : { path: file.path, name: file.name.replace(/\.[^.]+$/, '') })

  return {
    datasets,
    error,
    clearError: clear,
    importing,
    importProgress,
    lastImported,
    refresh,
    preview,
    importFile: (file: File) => {
      const dropped = openDroppedFile(file)
      if (dropped !== null) return runPreview('import', async () => fromIssued(await dropped))
      uploadBytes.value = file.size
      return runPreview('upload', async () => fromIssued(await api.uploadCsv(file.name, new Uint8Array(await file.arrayBuffer()))))
    },
    importWithDialog: () => runPreview('choose', async () => fromIssued(await api.chooseImportFile())),
    changePreview: (setting: PreviewSetting, value: string) => {
      const request = previewRequest.value
      if (request !== null) return runPreview('import', async () => withSetting(request, setting, value))
    },
    confirmPreview,
    cancelPreview: () => {
      preview.value = null
      previewRequest.value = null
    },
    importSample: () => runImport('import', async () => ({ sample: true })),
    remove: async (id: number) => {
      await attempt(() => api.deleteDataset(id))
      await refresh()
    },
    refuse: (name: string) => attempt(async () => assertImportable(name)),
  }
}
