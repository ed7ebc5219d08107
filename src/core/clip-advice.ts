import type { ClipAdvice } from '../shared/api'
import { getRun } from './store/runs'
import type { Db } from './store/workspace'
import { diagnoseGradients, suggestClipping } from './train/gradient-health'

/** The diagnosis and clip suggestions of one run, from its stored epochs (the Api's getClipAdvice and `clipcast suggest-clip`). */
export function clipAdviceFor(db: Db, runId: number): ClipAdvice {
  const run = getRun(db, runId)
  return { runId, diagnosis: diagnoseGradients(run.epochRecords, run.config), suggestions: suggestClipping(runId, run.epochRecords) }
}
