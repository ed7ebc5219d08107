import { randomUUID } from 'node:crypto'
import { ClipcastError } from '../shared/errors'

/**
 * Paths the renderer may name: each was chosen by the user in a dialog, uploaded, or
 * allocated as a download slot. With `opaque` handles (browser host) the renderer never sees
 * the server's file system; in the desktop host the handle is the chosen path itself.
 */
export class PathGrants {
  private readonly granted = new Map<string, { path: string; mode: 'read' | 'write' }>()

  constructor(private readonly opaque: boolean, private readonly limit = 1000) {}

  issue(path: string, mode: 'read' | 'write'): string {
    const handle = this.opaque ? `issued:${randomUUID()}` : path
    this.granted.delete(handle)
    this.granted.set(handle, { path, mode })
    // forget the oldest grants first; a long session cannot grow this without bound
    while (this.granted.size > this.limit) this.granted.delete(this.granted.keys().next().value as string)
    return handle
  }

  resolve(handle: string, mode: 'read' | 'write'): string {
    const grant = this.granted.get(handle)
    if (!grant || (mode === 'write' && grant.mode !== 'write')) {
      throw new ClipcastError('PATH_NOT_ALLOWED', `The path ${JSON.stringify(handle).slice(0, 120)} was not chosen in a file dialog of this window.`, {
        hint: mode === 'read' ? 'Choose the file with "Import CSV…" or drop it on the window.' : 'Choose where to save with the Export button.',
      })
    }
    return grant.path
  }
}
