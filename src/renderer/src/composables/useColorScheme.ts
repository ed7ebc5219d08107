import { readonly, ref } from 'vue'

// one listener for the page: the desktop window follows the system's light or dark mode, and so does a browser
const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null
const dark = ref(query?.matches ?? false)
query?.addEventListener('change', (event) => (dark.value = event.matches))

/** True while the system (or the browser) asks for the dark scheme. */
export function usePrefersDark() {
  return readonly(dark)
}
