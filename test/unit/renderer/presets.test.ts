import { describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../src/shared/run-config'
import { explodingGradientRuns } from '../../../src/renderer/src/presets'

describe('the exploding-gradients preset', () => {
  it('makes two valid runs on the dataset that differ only in clipping', () => {
    const { unclipped, clipped } = explodingGradientRuns(3)
    const a = RunConfigSchema.parse(unclipped)
    const b = RunConfigSchema.parse(clipped)
    expect(a).toMatchObject({ datasetId: 3, clip: 'none', lookback: 168, optimizer: 'sgd', lr: 30 })
    expect(b).toMatchObject({ clip: 'norm', clipThreshold: 0.5 })
    const differing = Object.keys(a).filter((key) => JSON.stringify(a[key as keyof typeof a]) !== JSON.stringify(b[key as keyof typeof b]))
    expect(differing.sort()).toEqual(['clip', 'clipThreshold'])
  })
})
