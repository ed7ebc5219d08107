import { computed, onBeforeUnmount, ref } from 'vue'
import { byEvent } from '../../../shared/api'
import { onEvent } from '../api'

/** choose: a native dialog is open; upload: the browser sends the file (fetch reports no progress); import: the host reads it. */
export type ImportStage = 'choose' | 'upload' | 'import'

/** One import's (or preview's) progress, from the host's dataset:progress events, for the progress bar. */
export function useImportProgress() {
  const importing = ref(false)
  const progress = ref(0)
  const rowsRead = ref(0)
  const stage = ref<ImportStage>('import')
  const uploadBytes = ref(0)

  const off = onEvent(
    byEvent((event) => {
      if (event.name !== 'dataset:progress') return
      progress.value = event.payload.fraction
      rowsRead.value = event.payload.rows
    }),
  )
  onBeforeUnmount(off)

  /** Runs `work` as one import from stage `first`; it calls `reading()` once the host reads the file. */
  async function track<T>(first: ImportStage, work: (reading: () => void) => Promise<T>): Promise<T> {
    importing.value = true
    stage.value = first
    progress.value = 0
    rowsRead.value = 0
    try {
      return await work(() => {
        stage.value = 'import'
      })
    } finally {
      importing.value = false
    }
  }

  /** What the progress bar shows, or null while nothing is being imported (or a dialog is open). */
  const importProgress = computed(() => {
    if (!importing.value || stage.value === 'choose') return null
    if (stage.value === 'upload') return { label: 'Uploading', value: 0, detail: `sending ${(uploadBytes.value / 1e6).toFixed(1)} MB` }
    const percent = `${Math.round(progress.value * 100)}%`
    return { label: 'Importing', value: progress.value, detail: rowsRead.value > 0 ? `${percent} · ${rowsRead.value.toLocaleString('en-US')} rows` : percent }
  })

  return {
    importing,
    importProgress,
    track,
    finished: () => {
      progress.value = 1
    },
    uploading: (bytes: number) => {
      uploadBytes.value = bytes
    },
  }
}
