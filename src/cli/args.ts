import { resolve } from 'node:path'
import { defaultWorkspacePath } from '../core/paths'
import { ClipcastError, type ErrorCode } from '../shared/errors'

/** The workspace file of a command: `--db`, else CLIPCAST_DB or the app's own workspace. */
export function workspacePath(db: string | undefined): string {
  return resolve(db ?? defaultWorkspacePath())
}

/** A run id argument: a positive whole number written as digits. */
export function parseRunId(text: string): number {
  const id = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(id) || id < 1) {
    throw new ClipcastError('BAD_REQUEST', `"${text}" is not a run id.`, { hint: 'Run ids are positive whole numbers; clipcast runs lists them.' })
  }
  return id
}

/** A flag that must be a whole number of at least 1. */
export function positiveInteger(flag: string, text: string, code: ErrorCode = 'BAD_REQUEST', hint?: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ClipcastError(code, `--${flag} must be a whole number of at least 1; received ${JSON.stringify(text)}.`, hint === undefined ? {} : { hint })
  }
  return value
}
