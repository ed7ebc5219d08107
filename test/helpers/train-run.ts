import { createRun, getRun } from '../../src/core/store/runs'
import type { Db } from '../../src/core/store/workspace'
import { trainRun, type SessionEvents } from '../../src/core/train/session'
import type { EpochRecord, Recovery, Warning } from '../../src/shared/api'
import { RunConfigSchema, type RunConfigInput } from '../../src/shared/run-config'

/** A tiny, fast run shape for in-process training tests (cpu backend). */
export const TINY_RUN = { horizon: 2, lookback: 6, filters: 2, batch: 16, backend: 'cpu', patience: 0 } as const

/** Trains (or resumes) one run in process, optionally stopping after an epoch; returns what it reported and stored. */
export async function trainInProcess(db: Db, input: RunConfigInput, options: { stopAfterEpoch?: number; resumeRunId?: number; onEpoch?: (record: EpochRecord) => void } = {}) {
  const config = RunConfigSchema.parse({ ...TINY_RUN, ...input })
  const runId = options.resumeRunId ?? createRun(db, config, 'sha', { pid: process.pid, token: 'test' })
  const epochs: EpochRecord[] = []
  const recoveries: Recovery[] = []
  const warnings: Warning[] = []
  let stop = false
  const events: SessionEvents = {
    progress: () => {},
    epoch: (record) => {
      epochs.push(record)
      if (record.epoch === options.stopAfterEpoch) stop = true
      options.onEpoch?.(record)
    },
    recovered: (recovery) => recoveries.push(recovery),
    warning: (warning) => warnings.push(warning),
  }
  const result = await trainRun({ db, runId, resume: options.resumeRunId !== undefined, stopRequested: () => stop, events })
  return { runId, result, epochs, recoveries, warnings, detail: getRun(db, runId) }
}
