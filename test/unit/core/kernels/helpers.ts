import * as tf from '@tensorflow/tfjs'
import { expect } from 'vitest'

/** Deterministic values in [-1, 1) (a small LCG), so a failure reproduces. */
export function randomArray(size: number, seed: number): Float32Array {
  const values = new Float32Array(size)
  let state = (seed * 2654435761) >>> 0
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    values[i] = state / 2 ** 31 - 1
  }
  return values
}

export async function onBackend<T>(name: string, run: () => T): Promise<T> {
  await tf.setBackend(name)
  await tf.ready()
  return run()
}

/** Relative closeness against the largest magnitude of the expected values (elementwise ratios blow up near zero). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, label = 'values'): void {
  expect(actual.length, label).toBe(expected.length)
  let scale = 0
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!))
  let worst = 0
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!))
  expect(worst / Math.max(scale, 1e-30), label).toBeLessThan(relative)
}
