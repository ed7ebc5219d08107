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
  })
  .strict()
  .refine((c) => c.valFraction + c.testFraction < 0.9, {
    message: 'valFraction + testFraction must leave at least 10% of the windows for training',
    path: ['valFraction'],
  })

export type RunConfig = z.output<typeof RunConfigSchema>
export type RunConfigInput = z.input<typeof RunConfigSchema>

export const RUN_STATUSES = ['queued', 'running', 'completed', 'stopped', 'diverged', 'failed', 'interrupted'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]
