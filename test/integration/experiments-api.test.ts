import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApiHandlers } from '../../src/core/api-handlers'
import { callApi } from '../../src/core/api-call'
import { PathGrants } from '../../src/core/path-grants'
import { spawnSync } from 'node:child_process'
import { createRun, listRuns } from '../../src/core/store/runs'
import { linkTrialRun } from '../../src/core/store/sweeps'
import { planSweep } from '../../src/core/train/sweep'
import { RunConfigSchema } from '../../src/shared/run-config'
import { openWorkspace } from '../../src/core/store/workspace'
import { TrainingManager } from '../../src/core/train/training-manager'
import { spawnTrainingThread } from '../../src/core/train/worker-threads'
import type { Api, ApiEvents } from '../../src/shared/api'
import { insertDataset, sineSeries } from '../helpers/datasets'
import { TINY_RUN } from '../helpers/train-run'

type Progress = ApiEvents['sweep:progress']

/** The browser host's handlers over a real workspace and a real training service (a worker thread per run). */
function host() {
  const dir = mkdtempSync(join(tmpdir(), 'clipcast-experiments-api-'))
  const path = join(dir, 'w.db')
  const setup = openWorkspace(path)
  const datasetId = insertDataset(setup, sineSeries(200))
  setup.close()
  const db = openWorkspace(path)
  const progress: Progress[] = []
  const listeners: Array<(event: Progress) => void> = []
  const emit = (name: string, payload: unknown) => {
    if (name !== 'sweep:progress') return
    progress.push(payload as Progress)
    listeners.forEach((listen) => listen(payload as Progress))
  }
  const training = new TrainingManager({ dbPath: path, spawn: spawnTrainingThread, onEvent: emit })
  const api: Api = createApiHandlers({ db, workspacePath: path, host: 'browser', version: 'test', emit, grants: new PathGrants(true), uploadDir: join(dir, 'up'), training })
  /** Resolves with the sweep's last progress event once it stops running. */
  const ended = (sweepId: number) =>
    new Promise<Progress>((resolve) => {
      const done = progress.find((p) => p.sweepId === sweepId && !p.running)
      if (done) return resolve(done)
      listeners.push((event) => event.sweepId === sweepId && !event.running && resolve(event))
    })
  const close = async () => {
    await training.close()
    db.close()
  }
  return { api, datasetId, progress, listeners, ended, close, db }
}

const base = (datasetId: number, epochs: number) => ({ datasetId, epochs, ...TINY_RUN, targets: ['v0', 'v1'] })

describe('sweeps, test forecasts and groups through the Api', () => {
  it('runs a sweep started from the Api to the end, then draws its runs\' test forecasts and groups them', async () => {
    const { api, datasetId, progress, ended, close, db } = host()
    try {
      const started = await api.startSweep({ base: base(datasetId, 2), spec: { mode: 'grid', dimensions: [{ key: 'lr', values: [0.001, 0.01] }] }, parallel: 2 })
      expect(started.running).toBe(true)
      expect(started.trials.map((t) => t.values)).toEqual([{ lr: 0.001 }, { lr: 0.01 }])
      const last = await ended(started.id)
      expect(last.error).toBeUndefined()
      const sweep = await api.getSweep(started.id)
      expect(sweep.running).toBe(false)
      expect(sweep.finishedAt).not.toBeNull()
      expect(sweep.trials.map((t) => t.runStatus)).toEqual(['completed', 'completed'])
      // a start and an end per trial, then the end of the sweep
      expect(progress.filter((p) => p.sweepId === started.id).length).toBeGreaterThanOrEqual(5)
      expect((await api.listSweeps()).map((s) => s.id)).toEqual([started.id])

      const runId = sweep.trials[0]!.runId!
      const forecasts = await api.getTestForecasts(runId)
      const run = await api.getRun(runId)
      expect(forecasts.targets).toEqual(['v0', 'v1'])
      expect(forecasts.mae).toHaveLength(2)
      expect(forecasts.mae[0]).toHaveLength(TINY_RUN.horizon)
      // the grid is the stored evaluation split by step: its mean over steps is the run's test MAE per target
      forecasts.targets.forEach((target, k) => {
        const mean = forecasts.mae[k]!.reduce((sum, v) => sum! + v!, 0)! / TINY_RUN.horizon
        expect(mean).toBeCloseTo(run.metrics!.perTarget[target]!.mae, 9)
      })
      expect(forecasts.predicted.v0).toHaveLength(TINY_RUN.horizon)
      expect(forecasts.predicted.v0![0]).toHaveLength(forecasts.time.length)
      expect(forecasts.actual.v0).toHaveLength(forecasts.time.length)

      const groups = await api.groupRuns({ runIds: sweep.trials.map((t) => t.runId!), by: { setting: 'lr' }, metric: 'test.mae', summary: 'best' })
      expect(groups.groups.map((g) => [g.label, g.runIds])).toEqual(sweep.trials.map((t) => [`lr=${t.values.lr}`, [t.runId]]))
      expect(groups.groups[0]!.metric.mean).toBe(run.metrics!.mae)
      expect(groups.groups[0]!.loss).toHaveLength(2)
      const bad = await callApi(api, 'groupRuns', [{ runIds: [runId], by: { setting: 'lr' }, metric: 'test.mae', summary: 'mean' }])
      expect(bad.ok ? null : bad.error.code).toBe('BAD_REQUEST')
      expect(listRuns(db)).toHaveLength(2)
    } finally {
      await close()
    }
  }, 120_000)

  it('stops a sweep from the Api with trials left, and resumes it to the end without training a trial twice', async () => {
    const { api, datasetId, listeners, ended, close, db } = host()
    try {
      // stopped as its first trial starts: one at a time, so the second never begins
      listeners.push((event) => {
        if (event.running && event.runId !== undefined) void api.stopSweep(event.sweepId)
      })
      const started = await api.startSweep({ base: base(datasetId, 3), spec: { mode: 'grid', dimensions: [{ key: 'clipThreshold', values: [0.5, 5] }] }, parallel: 1 })
      await ended(started.id)
      listeners.length = 0
      const stopped = await api.getSweep(started.id)
      expect(stopped.finishedAt).toBeNull()
      expect(stopped.trials[1]!.state).toBe('pending')
      const firstRun = stopped.trials[0]!.runId
      expect(firstRun).not.toBeNull()

      const resumed = await api.resumeSweep(started.id)
      expect(resumed.running).toBe(true)
      const again = await callApi(api, 'resumeSweep', [started.id])
      expect(again.ok ? null : again.error.code).toBe('SWEEP_ALREADY_ACTIVE')
      await new Promise<void>((resolve) => listeners.push((event) => event.sweepId === started.id && !event.running && resolve()))
      const finished = await api.getSweep(started.id)
      expect(finished.finishedAt).not.toBeNull()
      expect(finished.trials.map((t) => t.runStatus)).toEqual(['completed', 'completed'])
      expect(finished.trials[0]!.runId).toBe(firstRun)
      expect(listRuns(db)).toHaveLength(2)
    } finally {
      await close()
    }
  }, 120_000)

  it('lists a trial whose run\'s process died as resumable, so the app offers to resume its sweep', async () => {
    const { api, datasetId, close, db } = host()
    try {
      const planned = planSweep(db, { base: base(datasetId, 1), spec: { mode: 'grid', dimensions: [{ key: 'lr', values: [0.001, 0.01] }] }, parallel: 1 })
      // as a killed clipcast sweep leaves it: the trial's run queued by a process that is gone
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!
      const runId = createRun(db, RunConfigSchema.parse(planned.trials[0]!.config), 'x', { pid: dead, token: 'gone' })
      expect(linkTrialRun(db, planned.id, 1, runId)).toBe(true)
      const [listed] = await api.listSweeps()
      expect(listed!.trials.map((t) => t.state)).toEqual(['resumable', 'pending'])
      expect(listed!.running).toBe(false)
    } finally {
      await close()
    }
  })

  it('tags a run and writes its note through the Api, and the run table shows them', async () => {
    const { api, datasetId, ended, close } = host()
    try {
      const started = await api.startSweep({ base: base(datasetId, 1), spec: { mode: 'random', dimensions: [{ key: 'lr', range: { min: 1e-3, max: 1e-2, log: true } }], count: 1, seed: 3 } })
      await ended(started.id)
      const runId = (await api.getSweep(started.id)).trials[0]!.runId!
      expect(await api.changeRunLabels(runId, { add: ['keep', 'clip study'], note: 'first try' })).toEqual({ runId, tags: ['clip-study', 'keep'], note: 'first try' })
      expect(await api.getRunLabels(runId)).toEqual({ runId, tags: ['clip-study', 'keep'], note: 'first try' })
      const table = await api.getRunTable({ summary: 'best' })
      const cell = (key: string) => table.rows[0]![table.columns.findIndex((c) => c.key === key)]
      expect([cell('tags'), cell('note')]).toEqual(['clip-study keep', 'first try'])
      const refused = await callApi(api, 'changeRunLabels', [runId, { add: ['a,b'] }])
      expect(refused.ok ? null : refused.error.code).toBe('BAD_TAG')
      const unknown = await callApi(api, 'changeRunLabels', [runId, { add: ['a'], colour: 'red' }])
      expect(unknown.ok ? null : unknown.error.code).toBe('BAD_REQUEST')
    } finally {
      await close()
    }
  }, 120_000)
})
