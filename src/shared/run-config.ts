import { z } from 'zod'

/**
 * Everything that defines a training run. Stored with the run and with every checkpoint,
 * so a run can be resumed, compared and reproduced from this object alone.
 */
export const RunConfigSchema = z
  .object({
    datasetId: z.number().int().positive(),
    /** Target columns; empty means every numeric column of the dataset. */
    targets: z.array(z.string().min(1)).default([]),
    horizon: z.number().int().min(1).max(1000).default(24),
    lookback: z.number().int().min(2).max(10000).default(48),
    layout: z.enum(['subseq', 'grid']).default('subseq'),
    /** n_seq for the subseq layout; undefined picks a divisor of the lookback near its square root. */
    subseq: z.number().int().min(1).optional(),
    layers: z.number().int().min(1).max(8).default(1),
    filters: z.number().int().min(1).max(512).default(16),
    kernel: z.number().int().min(1).max(15).default(3),
    norm: z.enum(['none', 'layer']).default('none'),
    init: z.enum(['glorot', 'he', 'orthogonal']).default('glorot'),
    loss: z.enum(['mse', 'mae', 'huber']).default('mse'),
    optimizer: z.enum(['adam', 'sgd', 'rmsprop']).default('adam'),
    lr: z.number().positive().max(1e6).default(1e-3),
    batch: z.number().int().min(1).max(65536).default(32),
    epochs: z.number().int().min(1).max(100000).default(20),
    patience: z.number().int().min(0).default(5),
    /** none | norm (global L2) | tensor (each tensor's L2) | value (each element) | auto (AutoClip). */
    clip: z.enum(['none', 'norm', 'tensor', 'value', 'auto']).default('norm'),
    /** Threshold of norm, tensor and value; auto ignores it. */
    clipThreshold: z.number().positive().default(1),
    /** AutoClip's percentile of the global norms so far (clip 'auto'). */
    clipPercentile: z.number().gt(0).max(100).default(10),
    l1: z.number().min(0).default(0),
    l2: z.number().min(0).default(0),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
    onDiverge: z.enum(['stop', 'recover']).default('stop'),
    maxRecoveries: z.number().int().min(0).default(10),
    valFraction: z.number().min(0).max(0.9).default(0.15),
    testFraction: z.number().min(0).max(0.9).default(0.15),
    backend: z.enum(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']).default('auto'),
    /** Seasonal period for the seasonal-naive baseline; undefined derives it from the frequency. */
    season: z.number().int().min(1).optional(),
    /**
     * `window`: each window is moved to its own frame (reversible instance normalisation,
     * location per `location`) after the training scaler, and the targets are predicted in
     * that frame; `global`: the training scaler alone (runs stored before this option).
     */
    normalize: z.enum(['window', 'global']).default('window'),
    /** The window frame's origin: the last observed value (a zero output is the naive forecast) or the window mean. */
    location: z.enum(['last', 'mean']).default('last'),
    /** A linear map from the normalised window to every horizon step × target, added to the ConvLSTM head (LSTNet's highway). */
    highway: z.enum(['on', 'off']).default('on'),
    /**
     * `direct`: all horizon steps × targets from the last state; `recursive`: one step ahead,
     * fed back into the window for the next (a longer unroll, where gradients explode most).
     */
    head: z.enum(['direct', 'recursive']).default('direct'),
    /** Central prediction-interval levels in percent (split-conformal from the validation residuals); empty = none. */
    intervals: z.array(z.number().gt(0).lt(100)).max(6).default([80, 95]),
  })
  .strict()
  .refine((c) => c.valFraction + c.testFraction < 0.9, {
    message: 'valFraction + testFraction must leave at least 10% of the windows for training',
    path: ['valFraction'],
  })

/**
 * What a field added after runs were stored means for a stored run that lacks it: the
 * behaviour that run was trained with, not today's default for new runs.
 */
export const STORED_RUN_LEGACY = { normalize: 'global', location: 'last', highway: 'off', head: 'direct', intervals: [] } as const

/** A RunConfig read back from the workspace (runs, checkpoints): missing newer fields mean their legacy value. */
export const StoredRunConfigSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !Array.isArray(value) ? { ...STORED_RUN_LEGACY, ...value } : value),
  RunConfigSchema,
)

export type RunConfig = z.output<typeof RunConfigSchema>
export type RunConfigInput = z.input<typeof RunConfigSchema>

export { RUN_STATUSES, type RunStatus } from './run-status'
