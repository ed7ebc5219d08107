// Entry of the training worker thread. tsx compiles the TypeScript worker on the fly, so the
// same file runs under the CLI, the browser host and Vitest (the desktop bundle runs training
// in a utility process instead: src/main/compute-process.ts).
import { register } from 'tsx/esm/api'

register()
await import('./worker.ts')
