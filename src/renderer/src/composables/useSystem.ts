import { shallowRef } from 'vue'
import type { SystemInfo } from '../../../shared/api'
import { api } from '../api'

const info = shallowRef<SystemInfo | null>(null)
let loading: Promise<void> | null = null

/** Host facts (version, backends, workspace, dialogs), fetched once per page. */
export function useSystem() {
  loading ??= api.getSystemInfo().then((value) => {
    info.value = value
  }).catch(() => {
    loading = null
  })
  return { info }
}
