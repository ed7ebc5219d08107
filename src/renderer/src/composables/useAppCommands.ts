import { shallowRef, watch } from 'vue'
import { byEvent, type AppCommand } from '../../../shared/api'
import { onEvent } from '../api'

/** The desktop menu's last command not yet carried out: a view that mounts after it arrived still sees it. */
const pending = shallowRef<AppCommand | null>(null)
let subscribed = false

/** Listens to the desktop menu (App calls it once; the browser host never sends commands). */
export function listenToAppCommands(): void {
  if (subscribed) return
  subscribed = true
  onEvent(
    byEvent((event) => {
      if (event.name === 'app:command') pending.value = event.payload.command
    }),
  )
}

/**
 * Runs `run` when the menu sends `command`, in the component that calls this (stops with it).
 * `consume: false` lets a later component carry it out too (App navigates, the view acts).
 */
export function onAppCommand(command: AppCommand, run: () => void, options: { consume?: boolean } = {}): void {
  watch(
    pending,
    (value) => {
      if (value !== command) return
      if (options.consume !== false) pending.value = null
      run()
    },
    { immediate: true },
  )
}
