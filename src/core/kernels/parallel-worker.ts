import * as tf from '@tensorflow/tfjs'
import { parentPort } from 'node:worker_threads'
import { selectBackend } from '../backend'
import { BACKWARD_KERNEL, FORWARD_KERNEL } from './convlstm-fused'
import type { ParallelRequest } from './parallel'

/**
 * The second half of the batch of every fused ConvLSTM layer call, on this thread's own wasm
 * instance. Results go into the caller's shared buffers; control[0] becomes 1 (done) or
 * 2 (failed) and the caller, blocked in Atomics.wait, wakes.
 */
const MAX_KEPT = 16
const kept = new Map<number, tf.Tensor[]>()

function view(buffer: SharedArrayBuffer): Float32Array {
  return new Float32Array(buffer)
}

function handle(request: ParallelRequest): void {
  if (request.op === 'release') {
    tf.dispose(kept.get(request.id) ?? [])
    kept.delete(request.id)
    return
  }
  if (request.op === 'forward') {
    const x = tf.tensor(view(request.x), request.xShape)
    const kernel = tf.tensor(view(request.kernel), request.kernelShape)
    const bias = tf.tensor(view(request.bias), [request.kernelShape[3]!])
    const [hs, ...saved] = tf.engine().runKernel(FORWARD_KERNEL, { x, kernel, bias }, {}) as tf.Tensor[]
    view(request.hs).set(hs!.dataSync())
    tf.dispose([x, bias, hs!])
    if (request.keep) {
      kept.set(request.id, [kernel, ...saved])
      // a forward whose backward never came (an exception in between) must not pile up
      for (const id of kept.keys()) {
        if (kept.size <= MAX_KEPT) break
        tf.dispose(kept.get(id)!)
        kept.delete(id)
      }
    } else {
      tf.dispose([kernel, ...saved])
    }
    return
  }
  const saved = kept.get(request.id)
  if (saved === undefined) throw new Error(`no forward state ${request.id}`)
  kept.delete(request.id)
  const [kernel, gates, cs, tcs, xhs] = saved
  const dhs = tf.tensor(view(request.dhs), request.dhsShape)
  const [dx, dKernel, dBias] = tf.engine().runKernel(BACKWARD_KERNEL, { dhs, kernel: kernel!, gates: gates!, cs: cs!, tcs: tcs!, xhs: xhs! }, {}) as tf.Tensor[]
  view(request.dx).set(dx!.dataSync())
  view(request.dKernel).set(dKernel!.dataSync())
  view(request.dBias).set(dBias!.dataSync())
  tf.dispose([dhs, dx!, dKernel!, dBias!, ...saved])
}

await selectBackend('wasm', undefined, { dataParallel: false })
parentPort!.on('message', (request: ParallelRequest) => {
  let status = 1
  try {
    handle(request)
  } catch (error) {
    status = 2
    console.error(`data-parallel ConvLSTM worker: ${(error as Error).message}`)
  }
  if (request.op !== 'release') {
    Atomics.store(request.control, 0, status)
    Atomics.notify(request.control, 0)
  }
})
parentPort!.postMessage('ready')
