// Entry of the training worker thread. tsx compiles the TypeScript worker on the fly, so the
// same file runs under the CLI, Vitest and a dev Electron build (a packaged build passes its
// own bundled worker to TrainingManager's createWorker).
import { register } from 'tsx/esm/api'

register()
await import('./worker.ts')
