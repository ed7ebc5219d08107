import type { Emit, TrainingControl } from '../core/api-handlers'

/** The desktop app's training service: the worker is bundled by electron-vite (?nodeWorker). */
export function createTrainingService(_workspacePath: string, _emit: Emit): (TrainingControl & { close?: () => Promise<void> | void }) | undefined {
  return undefined
}
