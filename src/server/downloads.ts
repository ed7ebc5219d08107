import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Downloads } from '../core/api-handlers'

/**
 * Export slots of the browser host: exportRun writes into a server-side file, and the
 * browser fetches it once from /api/download/<id>. Ids are random, and the route still
 * requires the token.
 */
export class DownloadSlots implements Downloads {
  private readonly slots = new Map<string, { path: string; fileName: string }>()

  constructor(private readonly folder: string, private readonly limit = 200) {}

  allocate(fileName: string): { path: string; url: string } {
    const id = randomUUID()
    const dir = join(this.folder, id)
    mkdirSync(dir, { recursive: true })
    const path = join(dir, fileName)
    this.slots.set(id, { path, fileName })
    while (this.slots.size > this.limit) this.slots.delete(this.slots.keys().next().value as string)
    return { path, url: `/api/download/${id}` }
  }

  lookup(id: string): { path: string; fileName: string } | undefined {
    return this.slots.get(id)
  }
}
