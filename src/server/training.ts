import type { Emit, TrainingControl } from '../core/api-handlers'
import { TrainingManager } from '../core/train/runs-service'
import { spawnTrainingThread } from '../core/train/worker-threads'

/** The browser host's training service: each run in a worker thread (the tsx entry, as for the CLI). */
export function createTrainingService(workspacePath: string, emit: Emit): TrainingControl & { close: () => Promise<void> } {
  // the session stores each warning on the run; this relays it to open pages as it happens
  return new TrainingManager({ dbPath: workspacePath, spawn: spawnTrainingThread, onEvent: emit })
}
