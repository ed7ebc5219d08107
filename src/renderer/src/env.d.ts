/// <reference types="vite/client" />
import type { ClipcastBridge } from '../../shared/api-bridge'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Set by the desktop preload; absent when the browser host serves the renderer. */
    clipcast?: ClipcastBridge
  }
}
