import { describe, expect, it } from 'vitest'
import type { EpochRecord, Metrics, RunDetail } from '../../../../src/shared/api'
import { RunConfigSchema, type RunConfigInput } from '../../../../src/shared/run-config'
import { clippingStats, compareRuns, configDifferences } from '../../../../src/core/eval/compare'

const metrics = (mae: number, targets: string[] = ['a', 'b'], horizon = 2): Metrics => ({
  mae,
  rmse: mae * 2,
  smape: mae * 10,
  mase: mae / 4,
  perHorizon: Array.from({ length: horizon }, (_, s) => ({ step: s + 1, mae: mae + s, rmse: 2 * (mae + s) })),
  perTarget: Object.fromEntries(targets.map((t, k) => [t, { mae: mae + k, rmse: 2 * (mae + k) }])),
})

const epoch = (n: number, clippedFraction: number, max: number, clipThreshold: number | null): EpochRecord => ({
  epoch: n,
  trainLoss: 1 / n,
  valLoss: 2 / n,
  gradNorm: { mean: max / 2, p50: max / 2, p95: max * 0.9, max },
  clippedFraction,
  lr: 1e-3,
  clipThreshold,
  seconds: 1,
})

function run(id: number, config: Partial<RunConfigInput>, extra: Partial<RunDetail> = {}): RunDetail {
  const parsed = RunConfigSchema.parse({ datasetId: 1, horizon: 2, ...config })
  const targets = ['a', 'b']
  return {
    id,
    datasetId: parsed.datasetId,
    status: 'completed',
    backend: 'cpu',
    createdAt: '2026-01-01T00:00:00.000Z',
    bestEpoch: 2,
    epochs: 2,
    bestValLoss: 0.5,
    config: parsed,
    metrics: metrics(id, targets, parsed.horizon),
    baselines: { naive: metrics(10, targets, parsed.horizon), seasonalNaive: metrics(8, targets, parsed.horizon) },
    versions: {},
    epochRecords: [epoch(1, 0.5, 30, parsed.clip === 'none' ? null : parsed.clipThreshold), epoch(2, 0.25, 12, parsed.clip === 'none' ? null : parsed.clipThreshold)],
    recoveries: [],
    checkpoints: [],
    warnings: [],
    ...extra,
  }
}

describe('compareRuns', () => {
  it('lists only the config keys that differ and puts every quantity side by side', () => {
    const c = compareRuns([run(1, { clip: 'none' }), run(2, { clip: 'norm', clipThreshold: 0.5 })])
    expect(c.differences).toEqual({ clip: ['none', 'norm'], clipThreshold: [1, 0.5] })
    expect(c.runs.map((r) => r.id)).toEqual([1, 2])
    expect(c.runs[0]).not.toHaveProperty('epochRecords')
    expect(c.metrics['test.mae']).toEqual([1, 2])
    expect(c.metrics['naive.mae']).toEqual([10, 10])
    expect(c.metrics['seasonalNaive.mase']).toEqual([2, 2])
    expect(c.metrics['test.mae[b]']).toEqual([2, 3])
    expect(c.metrics['clip.threshold']).toEqual([null, 0.5])
    expect(c.metrics['clip.fractionClipped']).toEqual([0.375, 0.375])
    expect(c.metrics['clip.maxPreClipNorm']).toEqual([30, 30])
    expect(c.metrics.recoveries).toEqual([0, 0])
    expect(c.perHorizon['test.mae']).toEqual([[1, 2], [2, 3]])
    expect(c.perHorizon['naive.mae']).toEqual([[10, 11], [10, 11]])
    expect(c.notes).toEqual([])
  })

  it('compares runs on different datasets only on scale-free metrics, and says so', () => {
    const c = compareRuns([run(1, {}), run(2, { datasetId: 2 })])
    expect(c.metrics['test.mae']).toEqual([null, null])
    expect(c.metrics['test.rmse']).toEqual([null, null])
    expect(c.metrics['test.mase']).toEqual([0.25, 0.5])
    expect(c.metrics['test.smape']).toEqual([10, 20])
    expect(c.metrics['test.mae[a]']).toBeUndefined()
    expect(c.perHorizon).toEqual({})
    expect(c.differences.datasetId).toEqual([1, 2])
    expect(c.notes.length).toBe(1)
  })

  it('compares runs on different targets per shared target only', () => {
    const other = run(2, { targets: ['a', 'c'] })
    other.metrics = metrics(2, ['a', 'c'])
    const c = compareRuns([run(1, { targets: ['a', 'b'] }), other])
    expect(c.metrics['test.mae']).toEqual([null, null])
    expect(c.metrics['test.mae[a]']).toEqual([1, 2])
    expect(c.metrics['test.mae[b]']).toBeUndefined()
    expect(c.perHorizon).toEqual({})
    expect(c.notes.length).toBe(1)
  })

  it('compares different horizons over the common steps and leaves out the overall metrics', () => {
    const c = compareRuns([run(1, { horizon: 2 }), run(2, { horizon: 3 })])
    expect(c.metrics['test.mae']).toEqual([null, null])
    expect(c.perHorizon['test.mae']).toEqual([[1, 2], [2, 3]])
    expect(c.notes.length).toBe(1)
  })

  it('notes a run without metrics and keeps its training statistics', () => {
    const c = compareRuns([run(1, {}), run(2, {}, { status: 'diverged', metrics: null, baselines: null })])
    expect(c.metrics['test.mae']).toEqual([1, null])
    expect(c.metrics.epochs).toEqual([2, 2])
    expect(c.notes).toEqual([expect.stringContaining('Run 2')])
  })

  it('refuses fewer than two distinct runs with COMPARE_TOO_FEW', () => {
    expect(() => compareRuns([run(1, {})])).toThrow(expect.objectContaining({ code: 'COMPARE_TOO_FEW' }))
    expect(() => compareRuns([run(1, {}), run(1, {})])).toThrow(expect.objectContaining({ code: 'COMPARE_TOO_FEW' }))
  })
})

describe('clippingStats', () => {
  it('reports the last threshold in force, the overall clipped fraction and the largest pre-clip norm', () => {
    const r = run(1, { clip: 'norm', clipThreshold: 1 })
    r.epochRecords = [epoch(1, 1, 50, 1), epoch(2, 0.5, 7, 0.5), epoch(3, 0, 3, 0.5)]
    expect(clippingStats(r)).toEqual({ threshold: 0.5, fractionClipped: 0.5, maxPreClipNorm: 50 })
  })

  it('has no threshold without clipping and no statistics without epochs', () => {
    expect(clippingStats(run(1, { clip: 'none' }, { epochRecords: [] }))).toEqual({ threshold: null, fractionClipped: null, maxPreClipNorm: null })
  })
})

describe('configDifferences', () => {
  it('treats an unset key as null and equal values as no difference', () => {
    expect(configDifferences([run(1, { season: 24 }), run(2, {})])).toEqual({ season: [24, null] })
    expect(configDifferences([run(1, {}), run(2, {})])).toEqual({})
  })
})
