import { afterEach, describe, expect, it } from 'vitest'
import type { FromWorkerMessage, TrainingProcess, TrainingWorkerData, ToWorkerMessage } from '../../../../src/core/train/protocol'
import { TrainingManager } from '../../../../src/core/train/training-manager'
import { workspaceWithSeries } from '../../../helpers/datasets'

/** A training process driven by the test: it says what the real one would, when told to. */
class FakeProcess implements TrainingProcess {
  readonly received: ToWorkerMessage[] = []
  killed = 0
  private messageListener: (message: FromWorkerMessage) => void = () => {}
  private exitListener: (abnormal: string | null) => void = () => {}
  constructor(readonly data: TrainingWorkerData) {}
  send(message: ToWorkerMessage) { this.received.push(message) }
  onMessage(listener: (message: FromWorkerMessage) => void) { this.messageListener = listener }
  onExit(listener: (abnormal: string | null) => void) { this.exitListener = listener }
  kill() {
    this.killed++
    setImmediate(() => this.exitListener('signal SIGTERM'))
  }
  say(message: FromWorkerMessage) { this.messageListener(message) }
  exit(abnormal: string | null) { this.exitListener(abnormal) }
  ready() { this.say({ type: 'ready', backend: 'cpu', trainWindows: 10, valWindows: 2, testWindows: 2, stepsPerEpoch: 1, totalEpochs: 3 }) }
}

const managers: TrainingManager[] = []
function managerWith(spawnInto: FakeProcess[], options: { stopTimeoutMs?: number; onEvent?: (name: string, payload: unknown) => void } = {}) {
  const { path, db, datasetId } = workspaceWithSeries(120)
  db.close()
  const manager = new TrainingManager({
    dbPath: path,
    spawn: (data) => {
      const fake = new FakeProcess(data)
      spawnInto.push(fake)
      setImmediate(() => fake.ready())
      return fake
    },
    ...options,
  })
  managers.push(manager)
  return { manager, datasetId }
}
const config = (datasetId: number) => ({ datasetId, horizon: 2, lookback: 6, backend: 'cpu' as const })

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()))
})

describe('TrainingManager with an injected process', () => {
  it('leaves a run whose process died without its result interrupted, with the reason', async () => {
    const processes: FakeProcess[] = []
    const { manager, datasetId } = managerWith(processes)
    const { runId } = await manager.start(config(datasetId))
    processes[0]!.exit('exit code 134')
    const run = await manager.wait(runId)
    expect(run.status).toBe('interrupted')
    expect(run.error).toMatchObject({ code: 'RUN_PROCESS_CRASHED', details: { reason: 'exit code 134' } })
  })

  it('relays a warning of the run to every host as a run:warning event', async () => {
    const processes: FakeProcess[] = []
    const events: Array<{ name: string; payload: unknown }> = []
    const { manager, datasetId } = managerWith(processes, { onEvent: (name, payload) => events.push({ name, payload }) })
    const { runId } = await manager.start(config(datasetId))
    const warning = { code: 'COLUMN_CONSTANT', message: 'flat is constant' } as const
    processes[0]!.say({ type: 'warning', warning })
    expect(events).toContainEqual({ name: 'run:warning', payload: { runId, warning } })
    processes[0]!.exit(null)
    await manager.wait(runId)
  })

  it('kills a process that does not answer a stop in time, and says so on the run', async () => {
    const processes: FakeProcess[] = []
    const { manager, datasetId } = managerWith(processes, { stopTimeoutMs: 50 })
    const { runId } = await manager.start(config(datasetId))
    await manager.stop(runId)
    expect(processes[0]!.received).toEqual([{ type: 'stop' }])
    expect(processes[0]!.killed).toBe(1)
    const run = await manager.wait(runId)
    expect(run.status).toBe('interrupted')
    expect(run.error?.message).toMatch(/did not stop within/)
  })

  it('settles a run even when the listener of its final event throws', async () => {
    const processes: FakeProcess[] = []
    const onEvent = (name: string, payload: unknown) => {
      if (name === 'run:status' && (payload as { status: string }).status === 'interrupted') throw new Error('listener broke')
    }
    const { manager, datasetId } = managerWith(processes, { onEvent })
    const { runId } = await manager.start(config(datasetId))
    processes[0]!.exit('exit code 9')
    expect((await manager.wait(runId)).status).toBe('interrupted')
    expect(manager.activeRunIds()).toEqual([])
  })

  it('refuses a new run once closing has begun, and stops the runs in flight', async () => {
    const processes: FakeProcess[] = []
    const { manager, datasetId } = managerWith(processes, { stopTimeoutMs: 50 })
    await manager.start(config(datasetId))
    const closing = manager.close()
    await expect(manager.start(config(datasetId))).rejects.toMatchObject({ code: 'RUN_ALREADY_ACTIVE' })
    await closing
    expect(processes).toHaveLength(1)
    expect(processes[0]!.killed).toBe(1)
  })

  it('removes a new run whose process cannot be started', async () => {
    const { path, db, datasetId } = workspaceWithSeries(120)
    db.close()
    const manager = new TrainingManager({ dbPath: path, spawn: () => { throw new Error('no such entry') } })
    managers.push(manager)
    await expect(manager.start(config(datasetId))).rejects.toThrow('no such entry')
    expect(manager.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 })
  })

  it('refuses a run too large for the memory budget before creating it or starting its process', async () => {
    const processes: FakeProcess[] = []
    const { manager, datasetId } = managerWith(processes)
    process.env.CLIPCAST_RUN_MEMORY_MB = '0.01'
    try {
      await expect(manager.start(config(datasetId))).rejects.toMatchObject({ code: 'RUN_TOO_LARGE', details: { budgetBytes: 0.01 * 1024 * 1024 } })
    } finally {
      delete process.env.CLIPCAST_RUN_MEMORY_MB
    }
    expect(processes).toHaveLength(0)
    expect(manager.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 })
  })
})
