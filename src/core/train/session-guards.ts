import { toErrorData } from '../../shared/errors'
import { readCheckpoint } from '../store/checkpoints'
import { addRunWarning } from '../store/run-warnings'
import { finishRun } from '../store/runs'
import { writeTransaction, type Db } from '../store/workspace'
import type { SessionEvents, SessionResult } from './session'

/** Every warning is stored on the run where it is raised (so no host relay can lose it), then passed on. */
export function storingWarnings(db: Db, runId: number, events: SessionEvents): SessionEvents {
  return {
    ...events,
    warning: (warning) => {
      addRunWarning(db, runId, { code: warning.code, message: warning.message })
      events.warning?.(warning)
    },
  }
}

/**
 * An unexpected error mid-training (a bug, a failing read) with a sound `last` checkpoint ends
 * the run `stopped`, the error kept on it, so it can be resumed from that checkpoint rather than
 * lost as `failed`. Without one (or when even that write fails) the error goes on to the caller.
 */
export function stopIfResumable(db: Db, runId: number, error: unknown): SessionResult {
  let resumable = false
  try {
    readCheckpoint(db, runId, 'last')
    resumable = true
  } catch {
    // no checkpoint yet, or a corrupt one: nothing to resume from
  }
  if (!resumable) throw error
  const data = toErrorData(error)
  try {
    writeTransaction(db, () => finishRun(db, runId, 'stopped', { error: data }))
  } catch {
    throw error
  }
  return { status: 'stopped', error: data }
}
