// Entry of the data-parallel ConvLSTM worker thread (see parallel.ts): tsx compiles the
// TypeScript worker on the fly, as for the training worker.
import { register } from 'tsx/esm/api'

register()
await import('./parallel-worker.ts')
