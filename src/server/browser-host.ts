import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiHandlers, type Emit, type HandlerContext } from '../core/api-handlers'
import { PathGrants } from '../core/path-grants'
import { removeFolder } from '../core/upload-folder'
import { openWorkspace } from '../core/store/workspace'
import { DownloadSlots } from './downloads'
import { EventHub } from './event-hub'
import { startHttpHost, type HttpHost } from './http-host'

export interface BrowserHostOptions {
  dbPath: string
  host: string
  port: number
  token: string
  rendererDir: string | null
  version: string
  /** Builds the training service once the workspace is open; events go to every page. */
  createTraining?: (workspacePath: string, emit: Emit) => NonNullable<HandlerContext['training']> & { close?: () => Promise<void> | void }
}

export interface BrowserHost extends HttpHost {
  events: EventHub
}

/** Opens the workspace and serves it to browsers: `clipcast serve`, and the e2e tests' backend. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const db = openWorkspace(options.dbPath)
  const scratch = mkdtempSync(join(tmpdir(), 'clipcast-serve-'))
  const events = new EventHub()
  const emit: Emit = (name, payload) => events.emit(name, payload)
  const downloads = new DownloadSlots(join(scratch, 'downloads'))
  const training = options.createTraining?.(options.dbPath, emit)
  const api = createApiHandlers({
    db,
    workspacePath: options.dbPath,
    host: 'browser',
    version: options.version,
    emit,
    grants: new PathGrants(true),
    uploadDir: join(scratch, 'uploads'),
    downloads,
    ...(training ? { training } : {}),
  })
  const http = await startHttpHost({ api, events, downloads, token: options.token, host: options.host, port: options.port, rendererDir: options.rendererDir })
  return {
    ...http,
    events,
    close: async () => {
      await http.close()
      await training?.close?.()
      db.close()
      removeFolder(scratch)
    },
  }
}
