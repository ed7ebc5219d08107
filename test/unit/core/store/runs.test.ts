import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { writeCheckpoint } from '../../../../src/core/store/checkpoints'
import {
  claimRun,
  createRun,
  deleteRun,
  detectInterruptedRuns,
  finishRun,
  getRun,
  getRunSummary,
  HEARTBEAT_STALE_MS,
  insertEpoch,
  insertRecovery,
  listRuns,
  registerLiveToken,
  requeueRun,
  unregisterLiveToken,
} from '../../../../src/core/store/runs'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import { insertDataset, sineSeries, tempDbPath } from '../../../helpers/datasets'

function setup() {
  const db = openWorkspace(tempDbPath('clipcast-runs-'))
  const datasetId = insertDataset(db, sineSeries(50))
  const config = RunConfigSchema.parse({ datasetId, epochs: 4 })
  return { db, config }
}

/** A pid that is certainly dead: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!
}

const record = (epoch: number) => ({
  epoch,
  trainLoss: 1 / epoch,
  valLoss: 2 / epoch,
  gradNorm: { mean: 1, p50: 1, p95: 2, max: 3 },
  clippedFraction: 0.25,
  lr: 0.001,
  clipThreshold: 1,
  seconds: 0.5,
  layerNorms: { layer0: 0.5, 'layer0/i': 0.1 },
})

describe('run store', () => {
  it('keeps every step norm of an epoch as float32 through the file', () => {
    const { db, config } = setup()
    const runId = createRun(db, config, 'sha', { pid: process.pid, token: 'a' })
    insertEpoch(db, runId, { ...record(1), stepNorms: [0.5, 1.25, 3e5, 0.1] })
    insertEpoch(db, runId, record(2))
    const [first, second] = getRun(db, runId).epochRecords
    expect(first!.stepNorms).toEqual([0.5, 1.25, 3e5, Math.fround(0.1)])
    expect(second!.stepNorms).toBeUndefined()
    const { bytes } = db.prepare('SELECT length(step_norms_blob) AS bytes FROM epochs WHERE run_id = ? AND epoch = 1').get(runId) as { bytes: number }
    expect(bytes).toBe(16)
  })

  it('lists runs newest first and shows one with its epochs, recoveries and checkpoints', () => {
    const { db, config } = setup()
    const owner = { pid: process.pid, token: 'a' }
    const first = createRun(db, config, 'sha', owner)
    const second = createRun(db, { ...config, lr: 0.01 }, 'sha', owner)
    insertEpoch(db, second, record(1))
    insertEpoch(db, second, record(2))
    insertRecovery(db, second, { epoch: 2, step: 3, reason: 'non-finite loss', lr: 0.005, clipThreshold: 0.5 })
    writeCheckpoint(db, second, 'last', { epoch: 2, weights: new Map([['w', Float32Array.from([1])]]), optimizer: null, config, scaler: { columns: [] } })
    expect(listRuns(db).map((r) => r.id)).toEqual([second, first])
    const detail = getRun(db, second)
    expect(detail.epochs).toBe(2)
    expect(detail.epochRecords[1]).toEqual(record(2))
    expect(detail.recoveries).toEqual([{ epoch: 2, step: 3, reason: 'non-finite loss', lr: 0.005, clipThreshold: 0.5 }])
    expect(detail.checkpoints.map((c) => [c.kind, c.epoch])).toEqual([['last', 2]])
    expect(detail.config.lr).toBe(0.01)
    expect(() => getRun(db, 999)).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }))
  })

  it('deletes a run with its epochs, recoveries and checkpoints (reliability 4)', () => {
    const { db, config } = setup()
    const id = createRun(db, config, 'sha', { pid: deadPid(), token: 'x' })
    finishRun(db, id, 'stopped')
    insertEpoch(db, id, record(1))
    insertRecovery(db, id, { epoch: 1, step: 1, reason: 'r', lr: 1, clipThreshold: null })
    writeCheckpoint(db, id, 'best', { epoch: 1, weights: new Map(), optimizer: null, config, scaler: { columns: [] } })
    deleteRun(db, id)
    for (const table of ['runs', 'epochs', 'recoveries', 'checkpoints']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 })
    }
  })

  it('marks a run whose owner process died as interrupted and leaves a live one alone', () => {
    const { db, config } = setup()
    const dead = createRun(db, config, 'sha', { pid: deadPid(), token: 'dead' })
    claimRun(db, dead, { pid: deadPid(), token: 'dead' }, { backend: 'cpu', versions: {} })
    // the parent of this test process is alive and beats (its heartbeat is fresh)
    const live = createRun(db, config, 'sha', { pid: process.ppid, token: 'other-process' })
    registerLiveToken('mine')
    const mine = createRun(db, config, 'sha', { pid: process.pid, token: 'mine' })
    // same pid but a token no live manager holds: a manager of this process that went away
    const orphan = createRun(db, config, 'sha', { pid: process.pid, token: 'gone' })
    expect(detectInterruptedRuns(db).sort()).toEqual([dead, orphan].sort())
    const status = (id: number) => getRun(db, id).status
    expect([status(dead), status(live), status(mine), status(orphan)]).toEqual(['interrupted', 'queued', 'queued', 'interrupted'])
    // a live pid that stopped beating long ago is someone else's process that reused the pid
    expect(detectInterruptedRuns(db, Date.now() + HEARTBEAT_STALE_MS + 1000)).toEqual([live])
    unregisterLiveToken('mine')
  })

  it('requeues only stopped or interrupted runs', () => {
    const { db, config } = setup()
    const id = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
    expect(() => requeueRun(db, id, { pid: process.pid, token: 'u' }, config)).toThrow(expect.objectContaining({ code: 'RUN_NOT_RESUMABLE' }))
    finishRun(db, id, 'stopped')
    requeueRun(db, id, { pid: process.pid, token: 'u' }, { ...config, epochs: 9 })
    expect(getRun(db, id)).toMatchObject({ status: 'queued', config: { epochs: 9 } })
    finishRun(db, id, 'completed')
    expect(() => requeueRun(db, id, { pid: process.pid, token: 'u' }, config)).toThrow(expect.objectContaining({ code: 'RUN_NOT_RESUMABLE' }))
  })

  it('lists a run whose row does not parse as unreadable, beside the readable ones, and still deletes it (reliability 7)', () => {
    const { db, config } = setup()
    const good = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
    const newer = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
    const damaged = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
    // a config from a newer Clipcast (an option this version does not know) and a damaged JSON column
    db.prepare('UPDATE runs SET config_json = ? WHERE id = ?').run(JSON.stringify({ ...config, futureOption: 3 }), newer)
    db.prepare(`UPDATE runs SET metrics_json = '{"mae": ' WHERE id = ?`).run(damaged)
    const listed = listRuns(db)
    expect(listed.map((r) => [r.id, r.unreadable === undefined])).toEqual([
      [damaged, false],
      [newer, false],
      [good, true],
    ])
    expect(listed.find((r) => r.id === newer)!.unreadable).toContain('futureOption')
    expect(() => getRunSummary(db, newer)).toThrow(expect.objectContaining({ code: 'RUN_UNREADABLE' }))
    deleteRun(db, newer)
    expect(listRuns(db).map((r) => r.id)).toEqual([damaged, good])
  })
})
