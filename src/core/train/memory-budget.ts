import { totalmem } from 'node:os'
import { ClipcastError } from '../../shared/errors'
import { modelSpecFromConfig, type ModelSpec } from '../model/spec'
import type { DatasetSummary } from '../../shared/api'
import type { RunConfig } from '../../shared/run-config'

const FLOAT_BYTES = 4
const GIB = 1024 ** 3

/**
 * The memory a run may plan for: half the machine's memory, at most 4 GiB (TensorFlow.js's wasm
 * heap cannot grow past that, and the cpu backend's typed arrays share the process with the
 * app). CLIPCAST_RUN_MEMORY_MB overrides it.
 */
export function runMemoryBudgetBytes(env: NodeJS.ProcessEnv = process.env): number {
  const override = Number(env.CLIPCAST_RUN_MEMORY_MB)
  if (Number.isFinite(override) && override > 0) return override * 1024 * 1024
  return Math.min(4 * GIB, totalmem() / 2)
}

/**
 * Floats one sample keeps alive in a forward pass: per layer and time step, the im2col patch of
 * the fused gate convolution (kernel area × (input channels + filters) per cell) and the gates
 * i, f, g, o with c and h and their pre-activations (8 × filters per cell).
 */
export function forwardFloatsPerSample(spec: ModelSpec): number {
  const [steps, rows, cols, channels] = spec.inputShape
  const cells = rows * cols
  const kernelArea = Math.min(spec.kernel, rows) * Math.min(spec.kernel, cols)
  let floats = steps * cells * channels
  for (let layer = 0; layer < spec.layers; layer++) {
    const inputChannels = layer === 0 ? channels : spec.filters
    floats += steps * cells * (kernelArea * (inputChannels + spec.filters) + 8 * spec.filters)
  }
  return floats
}

export interface MemoryEstimate {
  bytes: number
  trainBytes: number
  evalBytes: number
}

/** Training keeps the forward activations for backprop and as many gradients again; scoring keeps one pass. */
export function estimateRunMemory(spec: ModelSpec, batch: number, evalBatch: number): MemoryEstimate {
  const perSample = forwardFloatsPerSample(spec) * FLOAT_BYTES
  const trainBytes = 2 * perSample * batch
  const evalBytes = perSample * evalBatch
  return { bytes: Math.max(trainBytes, evalBytes), trainBytes, evalBytes }
}

/** RUN_TOO_LARGE, with the estimate and what to lower, when a run would not fit the budget. */
export function assertRunFits(spec: ModelSpec, batch: number, evalBatch: number, budgetBytes = runMemoryBudgetBytes()): MemoryEstimate {
  const estimate = estimateRunMemory(spec, batch, evalBatch)
  if (estimate.bytes <= budgetBytes) return estimate
  const perSample = 2 * forwardFloatsPerSample(spec) * FLOAT_BYTES
  const maxBatch = Math.floor(budgetBytes / perSample)
  const lower =
    estimate.trainBytes >= estimate.evalBytes && maxBatch >= 1
      ? `lower {batch} to ${maxBatch} or less, or {lookback} (${spec.inputShape[0]} × ${spec.inputShape[2]} steps per sample), {filters} (${spec.filters}) or {layers} (${spec.layers})`
      : `lower {lookback} (${spec.inputShape[0]} × ${spec.inputShape[2]} steps per sample), {filters} (${spec.filters}) or {layers} (${spec.layers}); even one sample does not fit`
  throw new ClipcastError('RUN_TOO_LARGE', `This run needs about ${formatBytes(estimate.bytes)} of memory to train (batch ${batch}); the budget is ${formatBytes(budgetBytes)}.`, {
    hint: `To fit, ${lower}. CLIPCAST_RUN_MEMORY_MB sets the budget.`,
    details: { estimateBytes: estimate.bytes, budgetBytes, maxBatch, settings: ['batch', 'lookback', 'filters', 'layers'] },
  })
}

function formatBytes(bytes: number): string {
  return bytes >= GIB ? `${(bytes / GIB).toFixed(1)} GiB` : `${Math.ceil(bytes / 1024 ** 2)} MiB`
}

/**
 * The same refusal before a run is created, from its config and its dataset's columns (a subseq
 * run over the numeric columns): TrainingManager.start checks every run this way, planSweep
 * every trial of a sweep before storing it. A grid run is left to the session, which checks the
 * model it plans itself.
 */
export function assertConfigFits(config: RunConfig, dataset: Pick<DatasetSummary, 'columns'>, budgetBytes = runMemoryBudgetBytes()): void {
  if (config.layout !== 'subseq') return
  const variables = dataset.columns.filter((c) => c.kind === 'numeric').length
  if (variables < 1) return
  assertRunFits(modelSpecFromConfig(config, variables), config.batch, Math.max(config.batch, 256), budgetBytes)
}
