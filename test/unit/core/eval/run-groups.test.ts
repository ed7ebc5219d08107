import { describe, expect, it } from 'vitest'
import { groupRuns, spread } from '../../../../src/core/eval/run-groups'
import type { EpochRecord } from '../../../../src/shared/api'
import type { RunTable } from '../../../../src/shared/run-table'

const TABLE: RunTable = {
  summary: 'best',
  columns: [
    { key: 'id', group: 'run', varying: true },
    { key: 'lr', group: 'setting', varying: true },
    { key: 'seed', group: 'setting', varying: true },
    { key: 'horizon', group: 'setting', varying: false },
    { key: 'test.mae', group: 'metric', varying: true },
  ],
  rows: [
    [1, 0.01, 1, 2, 1],
    [2, 0.01, 2, 2, 3],
    [3, 0.1, 1, 2, 4],
    [4, 0.1, 2, 2, null],
    [5, 0.01, 3, 2, 8],
  ],
}

const epoch = (n: number, valLoss: number | null, trainLoss = 9): EpochRecord => ({ epoch: n, trainLoss, valLoss, gradNorm: { mean: 1, p50: 1, p95: 1, max: 1 }, clippedFraction: 0, lr: 0.01, clipThreshold: null, seconds: 1 })
const EPOCHS = new Map<number, EpochRecord[]>([
  [1, [epoch(1, 4), epoch(2, 2)]],
  [2, [epoch(1, 6), epoch(2, 4), epoch(3, 1)]],
  [3, [epoch(1, null, 5)]],
  [4, []],
  [5, [epoch(1, 2)]],
])

describe('spread', () => {
  it('gives the mean, the sample standard deviation (n − 1), min and max of the finite values', () => {
    expect(spread([1, 3, null, 8])).toEqual({ n: 3, mean: 4, std: Math.sqrt(13), min: 1, max: 8 })
    expect(spread([2])).toEqual({ n: 1, mean: 2, std: null, min: 2, max: 2 })
    expect(spread([null, NaN])).toEqual({ n: 0, mean: null, std: null, min: null, max: null })
  })
})

describe('groupRuns', () => {
  it('groups by a setting, in the order of the first run of each group, with the metric and the loss per epoch', () => {
    const result = groupRuns(TABLE, EPOCHS, { runIds: [1, 2, 3, 4, 5], by: { setting: 'lr' }, metric: 'test.mae' })
    expect(result.groups.map((g) => [g.label, g.runIds])).toEqual([
      ['lr=0.01', [1, 2, 5]],
      ['lr=0.1', [3, 4]],
    ])
    expect(result.groups[0]!.metric).toEqual({ n: 3, mean: 4, std: Math.sqrt(13), min: 1, max: 8 })
    // epoch 1 of runs 1, 2, 5: 4, 6, 2; epoch 2 of runs 1, 2: 2, 4; epoch 3 of run 2 alone
    expect(result.groups[0]!.loss).toEqual([
      { n: 3, mean: 4, std: 2, min: 2, max: 6 },
      { n: 2, mean: 3, std: Math.SQRT2, min: 2, max: 4 },
      { n: 1, mean: 1, std: null, min: 1, max: 1 },
    ])
    // a run without a validation loss is banded by its train loss; a run without the metric is left out of its spread
    expect(result.groups[1]!.loss).toEqual([{ n: 1, mean: 5, std: null, min: 5, max: 5 }])
    expect(result.groups[1]!.metric).toEqual({ n: 1, mean: 4, std: null, min: 4, max: 4 })
  })

  it('groups by seed: runs equal in every setting but the seed, labelled by what differs between groups', () => {
    const result = groupRuns(TABLE, EPOCHS, { runIds: [3, 1, 2], by: 'seed', metric: 'test.mae' })
    expect(result.groups.map((g) => [g.label, g.runIds, g.metric.mean])).toEqual([
      ['lr=0.1', [3], 4],
      ['lr=0.01', [1, 2], 2],
    ])
    expect(groupRuns(TABLE, EPOCHS, { runIds: [1, 2], by: 'seed', metric: 'test.mae' }).groups.map((g) => g.label)).toEqual(['all settings'])
  })

  it('never groups runs of two datasets together, and counts a run picked twice once', () => {
    const table: RunTable = {
      ...TABLE,
      columns: [TABLE.columns[0]!, { key: 'datasetId', group: 'run', varying: true }, ...TABLE.columns.slice(1)],
      rows: TABLE.rows.map((row, i) => [row[0]!, i < 2 ? 7 : 8, ...row.slice(1)]),
    }
    // runs 1 and 2 (lr 0.01) are on dataset 7, run 5 (lr 0.01) on dataset 8
    expect(groupRuns(table, EPOCHS, { runIds: [1, 2, 5], by: 'seed', metric: 'test.mae' }).groups.map((g) => [g.label, g.runIds, g.metric.mean])).toEqual([
      ['dataset 7 · all settings', [1, 2], 2],
      ['dataset 8 · all settings', [5], 8],
    ])
    expect(groupRuns(table, EPOCHS, { runIds: [1, 5, 3, 1], by: { setting: 'lr' }, metric: 'test.mae' }).groups.map((g) => [g.label, g.runIds])).toEqual([
      ['dataset 7 · lr=0.01', [1]],
      ['dataset 8 · lr=0.01', [5]],
      ['dataset 8 · lr=0.1', [3]],
    ])
  })

  it('refuses a metric or a setting the table does not have', () => {
    expect(() => groupRuns(TABLE, EPOCHS, { runIds: [1], by: 'seed', metric: 'nope' })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
    expect(() => groupRuns(TABLE, EPOCHS, { runIds: [1], by: { setting: 'test.mae' }, metric: 'test.mae' })).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
    expect(() => groupRuns(TABLE, EPOCHS, { runIds: [9], by: 'seed', metric: 'test.mae' })).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }))
  })
})
