import { describe, expect, it } from 'vitest'
import { changeRunLabels, getRunLabels, listRunLabels } from '../../../../src/core/store/run-labels'
import { createRun, deleteRun } from '../../../../src/core/store/runs'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import { insertDataset, sineSeries, tempDbPath } from '../../../helpers/datasets'
import { holdWriteLock } from '../../../helpers/write-lock'

function setup() {
  const path = tempDbPath('clipcast-labels-')
  const db = openWorkspace(path)
  const datasetId = insertDataset(db, sineSeries(50))
  const runId = createRun(db, RunConfigSchema.parse({ datasetId }), 'sha', { pid: process.pid, token: 'labels' })
  return { path, db, runId }
}

describe('run labels in the store', () => {
  it('keeps tags and a note through the file, and a run without any reads as none', () => {
    const { path, db, runId } = setup()
    expect(getRunLabels(db, runId)).toEqual({ runId, tags: [], note: '' })
    changeRunLabels(db, runId, { add: ['baseline', 'clip study'] })
    changeRunLabels(db, runId, { note: 'lr too high, "see" run 2,\nthen retry' })
    db.close()
    const again = openWorkspace(path)
    expect(getRunLabels(again, runId)).toEqual({ runId, tags: ['baseline', 'clip-study'], note: 'lr too high, "see" run 2,\nthen retry' })
    expect([...listRunLabels(again).keys()]).toEqual([runId])
    again.close()
  })

  it('saves a tag while another process writes (a training run committing an epoch), once its lock is released', async () => {
    const { path, db, runId } = setup()
    db.close()
    const impatient = openWorkspace(path, { busyTimeoutMs: 20 })
    const holder = await holdWriteLock(path, 300)
    try {
      expect(changeRunLabels(impatient, runId, { add: ['busy'] }).tags).toEqual(['busy'])
    } finally {
      holder.kill()
      impatient.close()
    }
  })

  it('refuses labels for a run that does not exist, and drops them with the run', () => {
    const { db, runId } = setup()
    expect(() => changeRunLabels(db, runId + 1, { add: ['x'] })).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }))
    changeRunLabels(db, runId, { add: ['x'] })
    deleteRun(db, runId)
    expect(listRunLabels(db).size).toBe(0)
    expect((db.prepare('SELECT count(*) AS n FROM run_labels').get() as { n: number }).n).toBe(0)
  })

  it('writes nothing when the change is refused', () => {
    const { db, runId } = setup()
    changeRunLabels(db, runId, { add: ['kept'], note: 'kept' })
    expect(() => changeRunLabels(db, runId, { add: ['bad,tag'], note: 'lost' })).toThrow(expect.objectContaining({ code: 'BAD_TAG' }))
    expect(getRunLabels(db, runId)).toEqual({ runId, tags: ['kept'], note: 'kept' })
  })
})
