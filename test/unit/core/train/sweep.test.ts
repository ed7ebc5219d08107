import { describe, expect, it } from 'vitest'
import { createRun, finishRun, getRunSummary } from '../../../../src/core/store/runs'
import { openWorkspace } from '../../../../src/core/store/workspace'
import type { TrainingManager } from '../../../../src/core/train/training-manager'
import { planSweep, runSweep } from '../../../../src/core/train/sweep'
import { parseVary } from '../../../../src/core/train/sweep-space'
import type { RunSummary } from '../../../../src/shared/api'
import { ClipcastError } from '../../../../src/shared/errors'
import { RunConfigSchema, type RunConfigInput } from '../../../../src/shared/run-config'
import { insertDataset, sineSeries, tempDbPath } from '../../../helpers/datasets'

/** A manager whose runs end only when the test says so: start creates the run (as the real one, in a transaction with onCreated). */
function standIn() {
  const db = openWorkspace(tempDbPath('clipcast-sweep-unit-'))
  const endings = new Map<number, () => void>()
  const waits = new Map<number, Promise<RunSummary>>()
  const manager = {
    db,
    isActive: (id: number) => endings.has(id),
    async start(input: RunConfigInput, options: { onCreated?: (id: number) => void } = {}) {
      const runId = db.transaction(() => {
        const id = createRun(db, RunConfigSchema.parse(input), 'x', { pid: process.pid, token: 'stand-in' })
        options.onCreated?.(id)
        return id
      })()
      waits.set(runId, new Promise((resolve) => endings.set(runId, () => {
        finishRun(db, runId, 'completed')
        endings.delete(runId)
        resolve(getRunSummary(db, runId))
      })))
      return { runId }
    },
    resume: async () => { throw new Error('not used') },
    wait: (id: number) => waits.get(id)!,
    stop: async () => {},
  }
  return { db, manager: manager as unknown as TrainingManager, endings }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5))

describe('runSweep', () => {
  it('keeps exactly K runs going until the queue is empty, each trial started once', async () => {
    const { db, manager, endings } = standIn()
    const datasetId = insertDataset(db, sineSeries(40))
    const spec = { mode: 'grid' as const, dimensions: [parseVary('lr=1e-3,1e-2,1e-1'), parseVary('clip-threshold=1,2')] }
    const planned = planSweep(db, { base: { datasetId }, spec, parallel: 2 })
    const started: number[] = []
    const done = runSweep(manager, planned.id, { parallel: 2, onTrialStart: (trial) => started.push(trial.trial) })
    const inFlight: number[] = []
    for (let round = 0; round < 3; round++) {
      await tick()
      inFlight.push(endings.size)
      for (const end of [...endings.values()]) end()
    }
    const sweep = await done
    expect(inFlight).toEqual([2, 2, 2])
    expect(started.sort()).toEqual([1, 2, 3, 4, 5, 6])
    expect(sweep.trials.every((t) => t.state === 'done')).toBe(true)
    expect(sweep.finishedAt).not.toBeNull()
    db.close()
  })

  it('leaves a trial in the queue, not failed, when the training service refuses it because it is closing', async () => {
    const { db, manager } = standIn()
    const datasetId = insertDataset(db, sineSeries(40))
    const planned = planSweep(db, { base: { datasetId }, spec: { mode: 'grid', dimensions: [parseVary('lr=1e-3,1e-2')] }, parallel: 1 })
    const closing = Object.assign(Object.create(manager) as TrainingManager, {
      start: async () => {
        throw new ClipcastError('RUN_ALREADY_ACTIVE', 'This workspace is closing.')
      },
    })
    const sweep = await runSweep(closing, planned.id, { parallel: 1 })
    expect(sweep.trials.map((t) => [t.state, t.error])).toEqual([['pending', null], ['pending', null]])
    expect(sweep.finishedAt).toBeNull()
    db.close()
  })
})
