import * as tf from '@tensorflow/tfjs'
import { createRequire } from 'node:module'
import { ClipcastError } from '../shared/errors'

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu'

export interface BackendResult {
  /** What the run records: 'tensorflow-gpu', 'tensorflow', 'wasm' or 'cpu'. */
  name: string
  tfjsVersion: string
}

const require = createRequire(import.meta.url)

/** Loads a native binding package; a missing package or library is a reason, not a crash. */
function tryNative(pkg: string): string | null {
  try {
    require(pkg)
    return null
  } catch (error) {
    return (error as Error).message.split('\n')[0] ?? 'failed to load'
  }
}

/**
 * Chooses the TensorFlow.js backend: `auto` tries tfjs-node-gpu (CUDA), tfjs-node, wasm,
 * then cpu; any other choice is forced and fails clearly when unavailable.
 */
export async function selectBackend(choice: BackendChoice = 'auto'): Promise<BackendResult> {
  const tried: string[] = []
  const candidates = choice === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] : choice === 'tensorflow' ? ['tensorflow-gpu', 'tensorflow'] : [choice]
  for (const name of candidates) {
    const reason = await activate(name)
    if (reason === null) return { name, tfjsVersion: tf.version.tfjs }
    tried.push(`${name}: ${reason}`)
  }
  throw new ClipcastError('BACKEND_UNAVAILABLE', `The ${choice} backend is not available here (${tried.join('; ')}).`, {
    hint: choice === 'tensorflow'
      ? 'Install @tensorflow/tfjs-node (or tfjs-node-gpu with CUDA), or choose --backend auto, wasm or cpu.'
      : 'Choose --backend auto.',
  })
}

async function activate(name: string): Promise<string | null> {
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    const pkg = name === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node'
    const reason = tryNative(pkg)
    if (reason !== null) return `${pkg} not installed (${reason})`
    return (await tf.setBackend('tensorflow')) ? null : `${pkg} loaded but its backend did not start`
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm')
  }
  const ok = await tf.setBackend(name)
  await tf.ready()
  return ok ? null : 'backend failed to initialise'
}
