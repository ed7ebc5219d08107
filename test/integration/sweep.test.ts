import { describe, expect, it } from 'vitest'
import { detectInterruptedRuns, getRun, listRuns } from '../../src/core/store/runs'
import { getSweep, listSweeps } from '../../src/core/store/sweeps'
import { openWorkspace } from '../../src/core/store/workspace'
import { TrainingManager } from '../../src/core/train/training-manager'
import { planSweep, runSweep } from '../../src/core/train/sweep'
import { parseVary } from '../../src/core/train/sweep-space'
import { spawnTrainingThread } from '../../src/core/train/worker-threads'
import { runCli, startCli } from '../helpers/cli'
import { workspaceWithSeries } from '../helpers/datasets'

const TINY = { horizon: 2, lookback: 6, filters: 2, batch: 16, backend: 'cpu', patience: 0 } as const
const TINY_FLAGS = ['--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '16', '--backend', 'cpu', '--patience', '0']

function captureError(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  throw new Error('expected a refusal')
}

describe('sweeps', () => {
  it('trains a 4-run grid two at a time, each run with its trial\'s settings, and a finished sweep starts nothing more', async () => {
    const { path, db, datasetId } = workspaceWithSeries(240)
    db.close()
    const manager = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread })
    try {
      const spec = { mode: 'grid' as const, dimensions: [parseVary('clip-threshold=0.5,2'), parseVary('lr=1e-3,1e-2')] }
      const planned = planSweep(manager.db, { base: { datasetId, epochs: 2, ...TINY }, spec, parallel: 2 })
      expect(planned.trials.map((t) => t.state)).toEqual(['pending', 'pending', 'pending', 'pending'])
      let running = 0
      let mostAtOnce = 0
      const started: number[] = []
      const sweep = await runSweep(manager, planned.id, {
        parallel: 2,
        onTrialStart: (_trial, runId) => {
          started.push(runId)
          mostAtOnce = Math.max(mostAtOnce, ++running)
        },
        onTrialEnd: () => running--,
      })
      expect(new Set(started).size).toBe(4)
      // never more than K at once (exactly K is pinned with a stand-in manager in test/unit/core/train/sweep.test.ts: tiny runs may end before the next is ready)
      expect(mostAtOnce).toBeGreaterThanOrEqual(1)
      expect(mostAtOnce).toBeLessThanOrEqual(2)
      expect(sweep.finishedAt).not.toBeNull()
      expect(sweep.trials.map((t) => [t.state, t.runStatus])).toEqual(Array(4).fill(['done', 'completed']))
      for (const trial of sweep.trials) {
        const run = getRun(manager.db, trial.runId!)
        expect(run.config).toMatchObject(trial.values)
        expect(run.epochRecords.map((e) => e.epoch)).toEqual([1, 2])
      }
      expect(sweep.trials.map((t) => t.values)).toEqual([
        { clipThreshold: 0.5, lr: 0.001 },
        { clipThreshold: 0.5, lr: 0.01 },
        { clipThreshold: 2, lr: 0.001 },
        { clipThreshold: 2, lr: 0.01 },
      ])
      const again = await runSweep(manager, planned.id, { parallel: 2, onTrialStart: () => started.push(-1) })
      expect(started).toHaveLength(4)
      expect(again.trials.map((t) => t.runId)).toEqual(sweep.trials.map((t) => t.runId))
      expect(listRuns(manager.db)).toHaveLength(4)
    } finally {
      await manager.close()
    }
  }, 90_000)

  it('records a trial whose settings do not fit the data as failed, with no run, and goes on', async () => {
    const { path, db, datasetId } = workspaceWithSeries(120)
    db.close()
    const manager = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread })
    try {
      const spec = { mode: 'grid' as const, dimensions: [parseVary('lookback=6,400')] }
      const planned = planSweep(manager.db, { base: { datasetId, epochs: 1, ...TINY }, spec, parallel: 1 })
      const sweep = await runSweep(manager, planned.id, { parallel: 1 })
      expect(sweep.trials.map((t) => t.state)).toEqual(['done', 'failed'])
      expect(sweep.trials[1]!.error?.code).toBe('DATASET_TOO_SHORT')
      expect(sweep.trials[1]!.runId).toBeNull()
      expect(listRuns(manager.db)).toHaveLength(1)
      expect(sweep.finishedAt).not.toBeNull()
    } finally {
      await manager.close()
    }
  }, 60_000)

  it('refuses a sweep whose grid holds a config too large for the memory budget before storing or starting anything, with the error a single run gets', async () => {
    const { path, db, datasetId } = workspaceWithSeries(240)
    db.close()
    // 1 MiB: a TINY run at batch 16 needs about 180 KiB (its scoring batch of 256), at batch 4096 about 5.6 MiB
    process.env.CLIPCAST_RUN_MEMORY_MB = '1'
    const manager = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread })
    try {
      const base = { datasetId, epochs: 1, ...TINY }
      const spec = { mode: 'grid' as const, dimensions: [parseVary('lr=1e-3,1e-2'), parseVary('batch=16,4096')] }
      const refusal = captureError(() => planSweep(manager.db, { base, spec, parallel: 2 }))
      expect(refusal).toMatchObject({ code: 'RUN_TOO_LARGE', details: { trial: 2, values: { lr: 0.001, batch: 4096 }, budgetBytes: 1024 * 1024 } })
      const single = await manager.start({ ...base, lr: 0.001, batch: 4096 }).catch((error: unknown) => error)
      expect(single).toMatchObject({ code: 'RUN_TOO_LARGE', message: (refusal as Error).message })
      expect(listSweeps(manager.db)).toEqual([])
      expect(manager.db.prepare('SELECT count(*) AS n FROM sweep_trials').get()).toEqual({ n: 0 })
      expect(listRuns(manager.db)).toEqual([])
      expect(manager.activeRunIds()).toEqual([])

      const cli = runCli(['sweep', String(datasetId), '--vary', 'batch=16,4096', '--epochs', '1', '--db', path, '--json', ...TINY_FLAGS.filter((f, i, all) => f !== '--batch' && all[i - 1] !== '--batch')])
      expect(cli.code).toBe(2)
      const printed = JSON.parse(cli.stderr).error as { code: string; message: string; hint: string }
      expect(printed).toMatchObject({ code: 'RUN_TOO_LARGE', message: (refusal as Error).message })
      // the trial's varied setting named by its flag, as the rest of the hint
      expect(printed.hint).toContain('Trial 2 (--batch 4096)')
      expect(printed.hint).not.toContain('{')
      expect(listSweeps(manager.db)).toEqual([])
      expect(listRuns(manager.db)).toEqual([])
    } finally {
      delete process.env.CLIPCAST_RUN_MEMORY_MB
      await manager.close()
    }
  }, 60_000)

  it('resumes a sweep whose process was killed mid-way: the interrupted run is resumed, no trial lost or trained twice', async () => {
    const { path, db, datasetId } = workspaceWithSeries(240)
    db.close()
    const epochs = 3
    // one at a time, so at the kill one run is part-way and the last two trials have not begun
    const first = startCli(['sweep', String(datasetId), '--vary', 'clip-threshold=0.5,2', '--vary', 'lr=1e-3,1e-2', '--epochs', String(epochs), '--parallel', '1', '--db', path, '--json', ...TINY_FLAGS])
    try {
      const { sweep } = (await first.waitFor((l) => l.event === 'sweep')) as { sweep: { id: number } }
      await first.waitFor((l) => l.event === 'epoch')
      // a second process cannot take over a sweep whose run a live process trains
      const rival = startCli(['sweep', '--resume', String(sweep.id), '--db', path, '--json'])
      expect((await rival.exited).code).toBe(2)
      expect(JSON.parse(rival.stderr()).error.code).toBe('SWEEP_ALREADY_ACTIVE')
      const finished = (await first.waitFor((l) => l.event === 'run', 90_000)).runId
      await first.waitFor((l) => l.event === 'epoch' && l.runId !== finished && (l.epoch as number) < epochs, 60_000)
      first.child.kill('SIGKILL')
      await first.exited
      const check = openWorkspace(path)
      // what any process opening the workspace does: a run whose owner died is interrupted
      detectInterruptedRuns(check)
      const before = getSweep(check, sweep.id)
      check.close()
      const linked = before.trials.filter((t) => t.runId !== null)
      expect(before.trials.map((t) => t.state)).toEqual(['done', 'resumable', 'pending', 'pending'])
      const epochsBefore = new Map<number, number>()
      const check2 = openWorkspace(path)
      for (const t of linked) epochsBefore.set(t.runId!, getRun(check2, t.runId!).epochRecords.length)
      check2.close()

      const resumed = runCli(['sweep', '--resume', String(sweep.id), '--db', path, '--json'], { timeoutMs: 120_000 })
      expect(resumed.code, resumed.stderr).toBe(0)
      const trialLines = resumed.json.filter((l) => l.event === 'trial')
      const interrupted = trialLines.filter((l) => l.resumed === true).map((l) => l.runId as number)
      // every run that was part-way is resumed under its own id, from where it stopped
      expect(interrupted.length).toBeGreaterThanOrEqual(1)
      for (const runId of interrupted) {
        const firstEpoch = resumed.json.find((l) => l.event === 'epoch' && l.runId === runId)
        expect(firstEpoch?.epoch).toBe((epochsBefore.get(runId) ?? 0) + 1)
      }
      // the finished run is not touched again; trials with no run start
      expect(trialLines.some((l) => l.runId === finished)).toBe(false)
      expect(trialLines.filter((l) => l.resumed === false)).toHaveLength(before.trials.filter((t) => t.state === 'pending').length)
      const done = resumed.json.at(-1) as { event: string; sweep: { id: number; finished: boolean; runs: Array<{ id: number; status: string; epochs: number }> } }
      expect(done.event).toBe('done')
      expect(done.sweep.finished).toBe(true)
      expect(done.sweep.runs.map((r) => [r.status, r.epochs])).toEqual(Array(4).fill(['completed', epochs]))
      const after = openWorkspace(path)
      expect(listRuns(after)).toHaveLength(4)
      expect(new Set(getSweep(after, sweep.id).trials.map((t) => t.runId)).size).toBe(4)
      for (const run of done.sweep.runs) expect(getRun(after, run.id).epochRecords.map((e) => e.epoch)).toEqual([1, 2, 3])
      after.close()
      const listed = runCli(['sweep', '--list', '--db', path, '--json']).json[0] as { sweeps: Array<{ id: number; finishedAt: string | null; trials: unknown[] }> }
      expect(listed.sweeps.map((s) => [s.id, s.trials.length, s.finishedAt !== null])).toEqual([[sweep.id, 4, true]])
    } finally {
      first.child.kill('SIGKILL')
    }
  }, 240_000)
})
