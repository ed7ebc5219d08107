import type { RunSummary, Warning } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import { selectBackend, type BackendChoice, type BackendResult } from '../backend'
import type { CheckpointKind } from '../store/checkpoints'
import { getRunSummary } from '../store/runs'
import type { Db } from '../store/workspace'
import { loadCheckpointModel, type RunModel } from './checkpoint-model'

/**
 * A run's model rebuilt from its checkpoint with the run's own scaler (the training engine's
 * loadCheckpointModel), for forecasts and exports. Refuses a diverged run (RUN_DIVERGED) and
 * weights that are not finite (NON_FINITE_WEIGHTS): no forecast ever comes from a model that
 * blew up (docs/reliability.md, case 8). The caller disposes it.
 */
export interface LoadedRun extends RunModel {
  run: RunSummary
}

export function loadRunModel(db: Db, runId: number, kind: CheckpointKind = 'best'): LoadedRun {
  const run = getRunSummary(db, runId)
  if (run.status === 'diverged') {
    throw new ClipcastError('RUN_DIVERGED', `Run ${runId} diverged${run.error?.message ? ` (${run.error.message})` : ''}; it does not make forecasts.`, {
      hint: `Train again with --clip norm, a lower --lr or --on-diverge recover; clipcast show ${runId} tells where it diverged.`,
      details: { runId },
    })
  }
  try {
    return { ...loadCheckpointModel(db, runId, kind), run }
  } catch (error) {
    if (error instanceof ClipcastError && error.code === 'NON_FINITE_WEIGHTS') {
      throw new ClipcastError('NON_FINITE_WEIGHTS', `A checkpoint of run ${runId} holds NaN or infinite weights; it does not make forecasts.`, {
        hint: `Train again with --clip norm or a lower --lr; clipcast show ${runId} lists its epochs.`,
        details: error.details,
      })
    }
    throw error
  }
}

/**
 * Activates the backend the run trained on (so recomputed test predictions match the stored
 * metrics), or `override`; when that backend is not available here, any backend with a warning.
 */
export async function selectRunBackend(run: Pick<RunSummary, 'backend' | 'config'>, override?: BackendChoice): Promise<{ backend: BackendResult; warnings: Warning[] }> {
  const recorded = run.backend === 'tensorflow-gpu' || run.backend === 'tensorflow' ? 'tensorflow' : run.backend === 'webgpu' || run.backend === 'wasm' || run.backend === 'cpu' ? run.backend : run.config.backend
  const choice = override ?? recorded
  try {
    return { backend: await selectBackend(choice), warnings: [] }
  } catch (error) {
    if (override !== undefined || choice === 'auto' || !(error instanceof ClipcastError) || error.code !== 'BACKEND_UNAVAILABLE') throw error
    const backend = await selectBackend('auto')
    return {
      backend,
      warnings: [{ code: 'BACKEND_CHANGED', message: `The run trained on ${run.backend ?? choice}, which is not available here; using ${backend.name}, so numbers may differ in the last digits.` }],
    }
  }
}
