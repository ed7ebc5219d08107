import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { readCheckpoint } from '../../src/core/store/checkpoints'
import { detectInterruptedRuns, getRun } from '../../src/core/store/runs'
import { openWorkspace } from '../../src/core/store/workspace'
import { TrainingManager } from '../../src/core/train/training-manager'
import { spawnTrainingThread } from '../../src/core/train/worker-threads'
import { startCli } from '../helpers/cli'
import { workspaceWithSeries } from '../helpers/datasets'

const TRAIN_FLAGS = ['--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '16', '--backend', 'cpu', '--patience', '0', '--json']

/** RELIABILITY 1: the workspace stays whole and every epoch row has its checkpoint. */
function checkConsistent(path: string): void {
  const raw = new Database(path)
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
  raw.close()
  const db = openWorkspace(path)
  try {
    detectInterruptedRuns(db)
    for (const { id } of db.prepare('SELECT id FROM runs').all() as Array<{ id: number }>) {
      const run = getRun(db, id)
      expect(['interrupted', 'stopped', 'completed']).toContain(run.status)
      const lastEpoch = run.epochRecords.at(-1)?.epoch ?? 0
      const last = run.checkpoints.find((c) => c.kind === 'last')
      expect(last?.epoch ?? 0).toBe(lastEpoch)
      expect(run.epochRecords.map((e) => e.epoch)).toEqual(Array.from({ length: lastEpoch }, (_, i) => i + 1))
      // every stored checkpoint is whole: its checksum verifies
      for (const c of run.checkpoints) expect(readCheckpoint(db, id, c.kind).epoch).toBe(c.epoch)
    }
  } finally {
    db.close()
  }
}

describe('runs across processes', () => {
  it('marks a run whose process was killed as interrupted and leaves a live process\'s run alone (reliability 1)', async () => {
    const { path, db, datasetId } = workspaceWithSeries(240)
    db.close()
    const live = startCli(['train', String(datasetId), '--epochs', '1000', '--db', path, ...TRAIN_FLAGS])
    const doomed = startCli(['train', String(datasetId), '--epochs', '1000', '--db', path, ...TRAIN_FLAGS])
    try {
      await Promise.all([live.waitFor((l) => l.event === 'epoch'), doomed.waitFor((l) => l.event === 'epoch')])
      doomed.child.kill('SIGKILL')
      await doomed.exited
      // opening the workspace (a manager does detection on open) sees one dead owner, one live
      const manager = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread })
      const statuses = (manager.db.prepare('SELECT status FROM runs ORDER BY id').all() as Array<{ status: string }>).map((r) => r.status)
      expect(statuses.sort()).toEqual(['interrupted', 'running'])
      await manager.close()
      // Ctrl-C in the live process stops its run cleanly
      live.child.kill('SIGINT')
      const exit = await live.exited
      expect(exit.code).toBe(0)
      expect(live.lines.at(-1)).toMatchObject({ event: 'done', run: { status: 'stopped' } })
      checkConsistent(path)
    } finally {
      live.child.kill('SIGKILL')
      doomed.child.kill('SIGKILL')
    }
  })

  // `npm run test:crash` runs 50 kills; npm test a handful
  const loops = Number(process.env.CLIPCAST_KILL_LOOPS ?? 5)
  it(`survives SIGKILL at random moments (${loops} kills), resuming each time (reliability 1)`, async () => {
    const { path, db, datasetId } = workspaceWithSeries(300)
    db.close()
    let runId: number | null = null
    let random = 12345
    const nextDelay = () => {
      random = (random * 1103515245 + 12345) % 2147483648
      // from before the run exists (CLI start-up) to deep inside training and its commits
      return 500 + (random / 2147483648) * 5500
    }
    for (let i = 0; i < loops; i++) {
      const args = runId === null
        ? ['train', String(datasetId), '--epochs', '1000', '--db', path, ...TRAIN_FLAGS]
        : ['resume', String(runId), '--db', path, '--json']
      const cli = startCli(args)
      await new Promise((resolve) => setTimeout(resolve, nextDelay()))
      cli.child.kill('SIGKILL')
      await cli.exited
      checkConsistent(path)
      const check = openWorkspace(path)
      runId ??= (check.prepare('SELECT max(id) AS id FROM runs').get() as { id: number | null }).id
      // once the run exists, every kill leaves it interrupted (resumable), whatever it was doing
      if (runId !== null) expect(getRun(check, runId).status).toBe('interrupted')
      check.close()
    }
    // after all that, the run still resumes to completion
    if (runId !== null) {
      const check = openWorkspace(path)
      const trained = getRun(check, runId).epochRecords.length
      check.close()
      // the kills landed inside training too, not only during start-up
      if (loops >= 3) expect(trained).toBeGreaterThan(0)
      const finish = startCli(['resume', String(runId), '--epochs', String(trained + 1), '--db', path, '--json'])
      const done = await finish.waitFor((l) => l.event === 'done', 90_000)
      expect(done).toMatchObject({ run: { status: 'completed', epochs: trained + 1 } })
      await finish.exited
    }
    checkConsistent(path)
  }, 120_000 + loops * 20_000)
})
