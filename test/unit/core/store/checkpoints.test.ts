import { describe, expect, it } from 'vitest'
import { decodeTensors, encodeTensors, listCheckpoints, readCheckpoint, readCheckpointWithFallback, writeCheckpoint, type CheckpointInput } from '../../../../src/core/store/checkpoints'
import { createRun } from '../../../../src/core/store/runs'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import { insertDataset, sineSeries, tempDbPath } from '../../../helpers/datasets'

function setup() {
  const db = openWorkspace(tempDbPath('clipcast-ckpt-'))
  const datasetId = insertDataset(db, sineSeries(50))
  const config = RunConfigSchema.parse({ datasetId })
  const runId = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
  const input = (epoch: number, fill: number): CheckpointInput => ({
    epoch,
    weights: new Map([
      ['layer0/kernel', Float32Array.from([fill, 2, 3, -4.5])],
      ['head/bias', Float32Array.from([0.25])],
    ]),
    optimizer: { name: 'adam', tensors: [{ name: 'iter', shape: [], values: [7] }, { name: 'layer0/kernel/m', shape: [2, 2], values: Float32Array.from([0.1, 0.2, 0.3, 0.4]) }] },
    config,
    scaler: { columns: [{ name: 'v0', mean: 1, std: 2, status: 'ok' }] },
  })
  return { db, runId, input }
}

/** Flips one byte in the middle of a stored weights blob, as a damaged disk would. */
function flipByte(db: ReturnType<typeof openWorkspace>, runId: number, kind: 'best' | 'last') {
  const { weights_blob: blob } = db.prepare('SELECT weights_blob FROM checkpoints WHERE run_id = ? AND kind = ?').get(runId, kind) as { weights_blob: Buffer }
  const damaged = Buffer.from(blob)
  damaged[damaged.length - 3] = damaged[damaged.length - 3]! ^ 0x10
  db.prepare('UPDATE checkpoints SET weights_blob = ? WHERE run_id = ? AND kind = ?').run(damaged, runId, kind)
}

describe('checkpoints', () => {
  it('round-trips named float32 tensors exactly, with shapes', () => {
    const blob = encodeTensors([{ name: 'a', shape: [2], values: Float32Array.from([1.5, -Math.PI]) }, { name: 'b', shape: [], values: Float32Array.from([3]) }], { optimizer: 'sgd' })
    const { tensors, extra } = decodeTensors(blob)
    expect(tensors.map((t) => [t.name, t.shape, Array.from(t.values)])).toEqual([['a', [2], [1.5, Math.fround(-Math.PI)]], ['b', [], [3]]])
    expect(extra.optimizer).toBe('sgd')
  })

  it('stores weights, optimizer state, config and scaler and reads them back verified', () => {
    const { db, runId, input } = setup()
    const sha = writeCheckpoint(db, runId, 'best', input(3, 1))
    const read = readCheckpoint(db, runId, 'best')
    expect(read.sha256).toBe(sha)
    expect(read.epoch).toBe(3)
    expect(Array.from(read.weights.get('layer0/kernel')!)).toEqual([1, 2, 3, -4.5])
    expect(read.optimizer?.name).toBe('adam')
    expect(read.optimizer?.tensors.find((t) => t.name === 'layer0/kernel/m')?.shape).toEqual([2, 2])
    expect(read.scaler.columns[0]!.std).toBe(2)
    expect(read.config.datasetId).toBe(input(0, 0).config.datasetId)
    expect(listCheckpoints(db, runId).map((c) => c.kind)).toEqual(['best'])
  })

  it('stores AutoClip\'s history with the checkpoint, covered by its checksum', () => {
    const { db, runId, input } = setup()
    const clipHistory = { cap: 8, seen: 11, rngState: 12345, values: Float32Array.from([0.5, 2, 1]) }
    writeCheckpoint(db, runId, 'last', { ...input(1, 1), clipHistory })
    expect(readCheckpoint(db, runId, 'last').clipHistory).toEqual(clipHistory)
    writeCheckpoint(db, runId, 'best', input(1, 1))
    expect(readCheckpoint(db, runId, 'best').clipHistory).toBeNull()
    const { clip_history_blob: blob } = db.prepare("SELECT clip_history_blob FROM checkpoints WHERE run_id = ? AND kind = 'last'").get(runId) as { clip_history_blob: Buffer }
    const damaged = Buffer.from(blob)
    damaged[damaged.length - 2] = damaged[damaged.length - 2]! ^ 0x10
    db.prepare("UPDATE checkpoints SET clip_history_blob = ? WHERE run_id = ? AND kind = 'last'").run(damaged, runId)
    expect(() => readCheckpoint(db, runId, 'last')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_CORRUPT' }))
  })

  it('replaces the checkpoint of a kind rather than adding one', () => {
    const { db, runId, input } = setup()
    writeCheckpoint(db, runId, 'last', input(1, 1))
    writeCheckpoint(db, runId, 'last', input(2, 9))
    expect(listCheckpoints(db, runId)).toHaveLength(1)
    expect(readCheckpoint(db, runId, 'last').weights.get('layer0/kernel')![0]).toBe(9)
  })

  it('detects a flipped byte in the blob as CHECKPOINT_CORRUPT (reliability 6)', () => {
    const { db, runId, input } = setup()
    writeCheckpoint(db, runId, 'last', input(2, 1))
    flipByte(db, runId, 'last')
    expect(() => readCheckpoint(db, runId, 'last')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_CORRUPT' }))
  })

  it('falls back to the other checkpoint with a warning when one is corrupt (reliability 6)', () => {
    const { db, runId, input } = setup()
    writeCheckpoint(db, runId, 'best', input(1, 5))
    writeCheckpoint(db, runId, 'last', input(2, 6))
    flipByte(db, runId, 'last')
    const { checkpoint, warnings } = readCheckpointWithFallback(db, runId, 'last')
    expect(checkpoint.kind).toBe('best')
    expect(checkpoint.weights.get('layer0/kernel')![0]).toBe(5)
    expect(warnings.map((w) => w.code)).toEqual(['CHECKPOINT_CORRUPT'])
    flipByte(db, runId, 'best')
    expect(() => readCheckpointWithFallback(db, runId, 'last')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_CORRUPT' }))
  })

  it('says CHECKPOINT_NOT_FOUND for a run without checkpoints', () => {
    const { db, runId } = setup()
    expect(() => readCheckpoint(db, runId, 'best')).toThrow(expect.objectContaining({ code: 'CHECKPOINT_NOT_FOUND' }))
  })
})
