import * as tf from '@tensorflow/tfjs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/**
 * Data parallelism for the fused ConvLSTM layer on wasm. The wasm backend computes on one
 * thread under Node (the package forces its threads off), so a second worker thread with its
 * own wasm instance takes half of the batch of every layer call, forward and backward; the
 * layer's outputs and input gradients are the two halves joined, its kernel and bias
 * gradients the sum of the two (the loss sums over the batch, so this is exact up to float
 * rounding). The calling thread blocks in Atomics.wait for its partner — tfjs kernels are
 * synchronous — so nothing else about training changes.
 */

export type ParallelRequest =
  | { op: 'forward'; id: number; keep: boolean; control: Int32Array; xShape: number[]; kernelShape: number[]; x: SharedArrayBuffer; kernel: SharedArrayBuffer; bias: SharedArrayBuffer; hs: SharedArrayBuffer }
  | { op: 'backward'; id: number; control: Int32Array; dhsShape: number[]; dhs: SharedArrayBuffer; dx: SharedArrayBuffer; dKernel: SharedArrayBuffer; dBias: SharedArrayBuffer }
  | { op: 'release'; id: number }

interface Partner {
  worker: Worker
  control: Int32Array
  nextId: number
}

let partner: Partner | null = null
/**
 * A layer call below `minWork` multiply-adds stays on one thread: the hand-off would cost more
 * than it saves. CLIPCAST_WASM_PARALLEL_MIN_WORK lowers it, so tests on tiny shapes use the partner.
 */
export const dataParallelSettings = { minWork: Number(process.env.CLIPCAST_WASM_PARALLEL_MIN_WORK ?? 2e7) }
let partnerCalls = 0
// run from the sources (tsx) the partner's entry sits beside this file; a bundle, where it does
// not, names its own bundled partner with setDataParallelEntry (or runs on one thread)
let partnerEntry: string | null = import.meta.url.endsWith('.ts') ? join(dirname(fileURLToPath(import.meta.url)), 'parallel-worker-entry.mjs') : null

/** The bundled partner module's path, for builds where this file's neighbours are not shipped. */
export function setDataParallelEntry(entry: string): void {
  partnerEntry = entry
}

/** Layer calls the partner has computed half of, in this process: proof that two threads really worked. */
export function dataParallelCalls(): number {
  return partnerCalls
}
// a partner that died cannot say so while this thread blocks: give up after this long (an L half-step takes ~5 s)
const WAIT_TIMEOUT_MS = 120_000

let starting: Promise<boolean> | null = null

/**
 * Starts the partner thread (once per process); resolves false where it cannot run (one core,
 * or it failed to start). Layer calls made before it is ready simply run on one thread.
 */
export function startDataParallel(): Promise<boolean> {
  if (partner !== null) return Promise.resolve(true)
  if (starting === null) {
    starting = launch().finally(() => {
      starting = null
    })
  }
  return starting
}

/** The pending start, if any (benchmarks wait for it before timing). */
export function dataParallelStarting(): Promise<boolean> {
  return starting ?? Promise.resolve(partner !== null)
}

async function launch(): Promise<boolean> {
  if (availableParallelism() < 2 || partnerEntry === null) return false
  const worker = new Worker(partnerEntry)
  // a loading or idle partner must not keep the process alive
  worker.unref()
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(String(message)))))
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`exited with code ${code}`)))
    })
  } catch {
    await worker.terminate()
    return false
  }
  worker.on('error', () => stopDataParallelSync())
  partner = { worker, control: new Int32Array(new SharedArrayBuffer(4)), nextId: 1 }
  return true
}

function stopDataParallelSync(): void {
  const current = partner
  partner = null
  void current?.worker.terminate()
}

export async function stopDataParallel(): Promise<void> {
  const current = partner
  partner = null
  await current?.worker.terminate()
}

export function dataParallelActive(): boolean {
  return partner !== null
}

function shared(values: Float32Array | null, size: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(size * 4)
  if (values !== null) new Float32Array(buffer).set(values)
  return buffer
}

function post(request: ParallelRequest): void {
  if (partner === null) throw new Error('data-parallel partner is not running')
  if (request.op !== 'release') Atomics.store(partner.control, 0, 0)
  partner.worker.postMessage(request)
}

function waitForPartner(): void {
  const current = partner
  if (current === null) throw new Error('data-parallel partner is not running')
  const outcome = Atomics.wait(current.control, 0, 0, WAIT_TIMEOUT_MS)
  const status = Atomics.load(current.control, 0)
  if (outcome === 'timed-out' || status !== 1) {
    stopDataParallelSync()
    throw new Error(`data-parallel ConvLSTM worker ${outcome === 'timed-out' ? 'timed out' : 'failed'}; single-threaded from here on`)
  }
}

/** Whether a layer call of this size goes to two threads. */
export function shouldSplit(xShape: number[], kernelShape: number[]): boolean {
  const [batch, time, rows, cols] = xShape as [number, number, number, number]
  const [kh, kw, inChannels, gates] = kernelShape as [number, number, number, number]
  return partner !== null && batch >= 2 && batch * time * rows * cols * kh * kw * inChannels * gates >= dataParallelSettings.minWork
}

export interface PartnerForward {
  id: number
  /** [B₂, T, H, W, F] once `finish` has run */
  finish(): Float32Array
}

/** Sends the second half of x to the partner; the caller computes its half, then calls finish(). */
export function partnerForward(xHalf: Float32Array, xShape: number[], kernel: Float32Array, bias: Float32Array, kernelShape: number[], filters: number, keep: boolean): PartnerForward {
  const id = partner!.nextId++
  partnerCalls++
  const [b2, time, rows, cols] = xShape as [number, number, number, number]
  const hs = shared(null, b2 * time * rows * cols * filters)
  post({ op: 'forward', id, keep, control: partner!.control, xShape, kernelShape, x: shared(xHalf, xHalf.length), kernel: shared(kernel, kernel.length), bias: shared(bias, bias.length), hs })
  return {
    id,
    finish: () => {
      waitForPartner()
      return new Float32Array(hs)
    },
  }
}

export interface PartnerBackward {
  finish(): { dx: Float32Array; dKernel: Float32Array; dBias: Float32Array }
}

export function partnerBackward(id: number, dhsHalf: Float32Array, dhsShape: number[], dxSize: number, kernelSize: number, biasSize: number): PartnerBackward {
  const dx = shared(null, dxSize)
  const dKernel = shared(null, kernelSize)
  const dBias = shared(null, biasSize)
  post({ op: 'backward', id, control: partner!.control, dhsShape, dhs: shared(dhsHalf, dhsHalf.length), dx, dKernel, dBias })
  return {
    finish: () => {
      waitForPartner()
      return { dx: new Float32Array(dx), dKernel: new Float32Array(dKernel), dBias: new Float32Array(dBias) }
    },
  }
}

export function partnerRelease(id: number): void {
  if (partner !== null) post({ op: 'release', id })
}

/** True while gradients are being recorded (tf.grads / variableGrads), so the partner must keep its forward state. */
export function recordingGradients(): boolean {
  return ((tf.engine() as unknown as { state: { gradientDepth: number } }).state.gradientDepth ?? 0) > 0
}
