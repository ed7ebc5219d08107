import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Api } from '../shared/api'
import { createApiHandlers, type Emit } from '../core/api-handlers'
import type { PathGrants } from '../core/path-grants'
import { removeFolder } from '../core/upload-folder'
import type { Db } from '../core/store/workspace'
import { TrainingManager } from '../core/train/training-manager'
import { nativeDialogs } from './dialogs'
import { openWorkspaceOrRestore } from './open-workspace'
import { tensorJobsInProcess, utilityTrainingProcess } from './training'

interface Open {
  path: string
  db: Db
  training: TrainingManager
  api: Api
  scratch: string
}

/**
 * The workspace the window works on: its connection, its training service and the handlers
 * built on them. File ▸ Open switches it in place: the new file is opened first (a refusal
 * keeps the old one), then the old one's runs are stopped (resumable) and it is closed.
 */
export class DesktopWorkspace {
  private current: Open | null = null

  constructor(private readonly options: { emit: Emit; version: string; grants: PathGrants }) {}

  get api(): Api | null {
    return this.current?.api ?? null
  }

  get path(): string | null {
    return this.current?.path ?? null
  }

  activeRuns(): number[] {
    return this.current?.training.activeRunIds() ?? []
  }

  /**
   * Opens `path` (offering the backup of a corrupt file) and only then stops and closes the
   * previous one; false, with the old workspace kept, when the new one cannot be opened.
   */
  async open(path: string): Promise<boolean> {
    const db = openWorkspaceOrRestore(path)
    if (db === null) return false
    let next: Open
    try {
      next = this.build(path, db)
    } catch (error) {
      db.close()
      throw error
    }
    const previous = this.current
    this.current = next
    if (previous) await this.release(previous)
    return true
  }

  private build(path: string, db: Db): Open {
    const scratch = mkdtempSync(join(tmpdir(), 'clipcast-desktop-'))
    // every run in a utility process, never in the main process
    const training = new TrainingManager({ dbPath: path, onEvent: this.options.emit, spawn: utilityTrainingProcess })
    const api = createApiHandlers({
      db,
      workspacePath: path,
      host: 'electron',
      version: this.options.version,
      emit: this.options.emit,
      grants: this.options.grants,
      uploadDir: join(scratch, 'uploads'),
      dialogs: nativeDialogs(),
      training,
      runTensorJob: tensorJobsInProcess(path),
    })
    return { path, db, training, api, scratch }
  }

  /** Stops the runs in flight (they stay resumable) and closes the workspace. */
  async close(): Promise<void> {
    const open = this.current
    this.current = null
    if (open) await this.release(open)
  }

  private async release(open: Open): Promise<void> {
    await open.training.close()
    open.db.close()
    removeFolder(open.scratch)
  }
}
