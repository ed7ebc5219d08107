/** What a host says about itself and the files it lets the page name (src/shared/api.ts). */

/** One TensorFlow.js backend on this machine, as `clipcast backends` prints it. */
export interface BackendStatus {
  /** 'tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm' or 'cpu', in auto's order. */
  name: string
  /** It can be forced with --backend (a software WebGPU adapter counts: only auto passes it over). */
  available: boolean
  /** Why not available, or why auto passes it over; null when auto would take it. */
  reason: string | null
  /** The GPU: the WebGPU adapter ('llvmpipe: Mesa 25.0.7 … (vulkan)') or 'CUDA'; null on the CPU. */
  device: string | null
  /** Threads it computes with. */
  threads: number
}

export interface SystemInfo {
  version: string
  workspace: string
  /** Which host serves the renderer; the browser host has no native file dialogs (it uploads and downloads). */
  host?: 'electron' | 'browser'
  nativeDialogs?: boolean
}

/**
 * A file the host let the renderer name: chosen in a native dialog (desktop) or uploaded /
 * allocated for download (browser host). `path` is an opaque handle only the issuing host
 * accepts back; any other path is refused with PATH_NOT_ALLOWED.
 */
export interface IssuedFile {
  path: string
  name: string
  /** Browser host: where the written export can be downloaded (same origin). */
  downloadUrl?: string
}
