import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { clipAdviceFor } from '../../../src/core/clip-advice'
import { createRun, insertEpoch } from '../../../src/core/store/runs'
import { openWorkspace } from '../../../src/core/store/workspace'
import type { EpochRecord } from '../../../src/shared/api'
import { RunConfigSchema } from '../../../src/shared/run-config'
import { insertDataset, sineSeries, tempDbPath } from '../../helpers/datasets'

describe('clipAdviceFor', () => {
  it('reads a run\'s stored step norms back from the file and advises on them', () => {
    const recorded = JSON.parse(readFileSync(new URL('../../fixtures/gradient-norms/overclipped.json', import.meta.url), 'utf8')) as { epochs: EpochRecord[] }
    const db = openWorkspace(tempDbPath('clipcast-advice-'))
    const config = RunConfigSchema.parse({ datasetId: insertDataset(db, sineSeries(50)), clip: 'norm', clipThreshold: 0.1 })
    const runId = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
    for (const e of recorded.epochs) insertEpoch(db, runId, { ...e, trainLoss: 1, valLoss: 1, lr: 30, seconds: 1 })
    const advice = clipAdviceFor(db, runId)
    expect(advice.diagnosis).toMatch(/^The head carries 92% .* 95% of steps were clipped/)
    expect(advice.suggestions.map((s) => [s.mode, Number(s.threshold.toFixed(4))])).toEqual([['auto', 0.1218], ['norm', 0.4191]])
    const empty = createRun(db, config, 'sha', { pid: process.pid, token: 't' })
    expect(() => clipAdviceFor(db, empty)).toThrow(expect.objectContaining({ code: 'NO_STEP_NORMS' }))
    db.close()
  })
})
