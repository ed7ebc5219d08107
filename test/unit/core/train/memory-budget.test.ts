import { describe, expect, it } from 'vitest'
import { modelSpecFromConfig, type ModelSpec } from '../../../../src/core/model/spec'
import { assertRunFits, estimateRunMemory, forwardFloatsPerSample } from '../../../../src/core/train/memory-budget'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import type { ClipcastError } from '../../../../src/shared/errors'
import { flagName, labelName, phraseHint } from '../../../../src/shared/setting-hints'

const tiny: ModelSpec = { layout: 'subseq', inputShape: [2, 1, 3, 2], layers: 1, filters: 4, kernel: 3, norm: 'none', init: 'glorot', horizon: 2, targets: 2, seed: 1 }

describe('the run memory budget', () => {
  it('counts the input, the im2col patch and the gates per layer and step', () => {
    // input 2·3·2 = 12; per step and cell: kernel 1×3 × (2 + 4) channels + 8 × 4 gates = 50, × 2 steps × 3 cells
    expect(forwardFloatsPerSample(tiny)).toBe(12 + 300)
    expect(estimateRunMemory(tiny, 10, 256)).toEqual({ trainBytes: 2 * 312 * 4 * 10, evalBytes: 312 * 4 * 256, bytes: 312 * 4 * 256 })
  })

  it('refuses batch 65,536 × lookback 10,000 with the estimate and the batch that would fit', () => {
    const config = RunConfigSchema.parse({ datasetId: 1, batch: 65536, lookback: 10000 })
    const spec = modelSpecFromConfig(config, 3)
    const budget = 4 * 1024 ** 3
    let error: unknown
    try {
      assertRunFits(spec, config.batch, config.batch, budget)
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'RUN_TOO_LARGE', details: { budgetBytes: budget } })
    const { estimateBytes, maxBatch } = (error as { details: { estimateBytes: number; maxBatch: number } }).details
    expect(estimateBytes).toBeGreaterThan(100 * budget)
    // the hint names the batch size as each host does: a flag in the CLI, the form's label in the app
    expect(phraseHint(error as ClipcastError, flagName)).toContain(`--batch to ${maxBatch}`)
    expect(phraseHint(error as ClipcastError, labelName)).toContain(`Batch to ${maxBatch}`)
    expect(() => assertRunFits(spec, maxBatch, maxBatch, budget)).not.toThrow()
    expect(() => assertRunFits(spec, maxBatch + 1, maxBatch + 1, budget)).toThrow()
  })

  it('lets the default configuration through with room to spare', () => {
    const config = RunConfigSchema.parse({ datasetId: 1 })
    expect(assertRunFits(modelSpecFromConfig(config, 10), config.batch, 256, 256 * 1024 ** 2).bytes).toBeLessThan(64 * 1024 ** 2)
  })
})
