import type { Emit, TrainingControl } from '../core/api-handlers'

/** The browser host's training service; the worker runs under tsx like the CLI's. */
export function createTrainingService(_workspacePath: string, _emit: Emit): (TrainingControl & { close?: () => Promise<void> | void }) | undefined {
  return undefined
}
