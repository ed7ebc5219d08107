import type { ClipAdvice, RunDetail } from '../shared/api'
import { getRun } from './store/runs'
import type { Db } from './store/workspace'
import { diagnoseGradients, suggestClipping, type Divergence } from './train/gradient-health'

/** A diverged run's last epoch, as the session stored it in the error's details; null for any other run. */
export function divergenceOf(run: RunDetail): Divergence | null {
  const details = run.status === 'diverged' ? run.error?.details : undefined
  if (!details || !Array.isArray(details.stepNorms)) return null
  const norms = details.stepNorms.filter((n): n is number => typeof n === 'number')
  return { epoch: Number(details.epoch), step: Number(details.step), stepNorms: norms, divergedNorm: typeof details.divergedNorm === 'number' ? details.divergedNorm : null }
}

/** The diagnosis and clip suggestions of one run, from its stored epochs (the Api's getClipAdvice and `clipcast suggest-clip`). */
export function clipAdviceFor(db: Db, runId: number): ClipAdvice {
  const run = getRun(db, runId)
  const divergence = divergenceOf(run)
  return { runId, diagnosis: diagnoseGradients(run.epochRecords, run.config, divergence), suggestions: suggestClipping(runId, run.epochRecords, divergence) }
}
