import type { RunConfigInput } from '../../shared/run-config'

/**
 * "Try: exploding gradients": the bundled sample with a week of hourly lookback (a long
 * recurrence) and plain SGD at a learning rate of 30. Without clipping the third step's loss
 * is a thousand times the first one's and the run stops as diverged; clipped at a global norm
 * of 0.5 (about the median step norm of that setting) the same run trains. The two configs
 * differ only in clipping, so the comparison is fair.
 */
export const EXPLODING_SETTING = {
  targets: ['temperature'],
  lookback: 168,
  horizon: 24,
  filters: 4,
  optimizer: 'sgd',
  lr: 30,
  epochs: 2,
  patience: 0,
  onDiverge: 'stop',
} as const satisfies Partial<RunConfigInput>

export const TAMING_CLIP = { clip: 'norm', clipThreshold: 0.5 } as const

export function explodingGradientRuns(datasetId: number): { unclipped: RunConfigInput; clipped: RunConfigInput } {
  const setting: RunConfigInput = { datasetId, ...EXPLODING_SETTING, targets: [...EXPLODING_SETTING.targets] }
  return { unclipped: { ...setting, clip: 'none' }, clipped: { ...setting, ...TAMING_CLIP } }
}
