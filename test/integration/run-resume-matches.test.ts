import { describe, expect, it } from 'vitest'
import { getRun } from '../../src/core/store/runs'
import { openWorkspace } from '../../src/core/store/workspace'
import { runCli, startCli } from '../helpers/cli'
import { workspaceWithSeries } from '../helpers/datasets'

const TRAIN_FLAGS = ['--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '16', '--backend', 'cpu', '--patience', '0', '--epochs', '5', '--seed', '7', '--json']

function losses(path: string, runId: number): Array<{ epoch: number; trainLoss: number; valLoss: number | null }> {
  const db = openWorkspace(path)
  try {
    return getRun(db, runId).epochRecords.map(({ epoch, trainLoss, valLoss }) => ({ epoch, trainLoss, valLoss: valLoss ?? NaN }))
  } finally {
    db.close()
  }
}

describe('a seeded run killed mid-training and resumed (reliability 10)', () => {
  it('goes on from its last committed epoch with its optimizer state and ends where the uninterrupted run ends', async () => {
    const { path, db, datasetId } = workspaceWithSeries(240)
    db.close()
    const whole = runCli(['train', String(datasetId), '--db', path, ...TRAIN_FLAGS])
    expect(whole.code).toBe(0)

    const doomed = startCli(['train', String(datasetId), '--db', path, ...TRAIN_FLAGS])
    await doomed.waitFor((line) => line.event === 'epoch' && line.epoch === 2)
    doomed.child.kill('SIGKILL')
    await doomed.exited
    const committed = losses(path, 2).length
    expect(committed).toBeGreaterThanOrEqual(2)
    expect(committed).toBeLessThan(5)

    const resumed = runCli(['resume', '2', '--db', path, '--json'])
    expect(resumed.code).toBe(0)
    expect(resumed.json.at(-1)).toMatchObject({ event: 'done', run: { status: 'completed', epochs: 5 } })
    const expected = losses(path, 1)
    const actual = losses(path, 2)
    expect(actual.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5])
    // the same seeded batches from the same weights and Adam moments: equal up to float rounding
    actual.forEach((epoch, i) => {
      expect(epoch.trainLoss).toBeCloseTo(expected[i]!.trainLoss, 6)
      expect(epoch.valLoss!).toBeCloseTo(expected[i]!.valLoss!, 6)
    })
  }, 180_000)
})
