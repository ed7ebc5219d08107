import { afterEach, describe, expect, it, vi } from 'vitest'
import { epochLine } from '../../../src/cli/follow-run'
import { printJson } from '../../../src/cli/output'
import type { EpochRecord } from '../../../src/shared/api'

afterEach(() => vi.restoreAllMocks())

describe('printJson', () => {
  it('prints non-finite numbers of an epoch line as null, so every line stays valid JSON', () => {
    const written: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0)
    const record = { epoch: 3, trainLoss: NaN, valLoss: Infinity, gradNorm: { mean: 1, p50: 1, p95: -Infinity, max: NaN }, clippedFraction: 0.5, lr: 0.01, seconds: 2 } as EpochRecord
    printJson(epochLine(record))
    expect(written).toHaveLength(1)
    expect(written[0]!.endsWith('\n')).toBe(true)
    expect(JSON.parse(written[0]!)).toEqual({ event: 'epoch', epoch: 3, trainLoss: null, valLoss: null, gradNorm: { mean: 1, p50: 1, p95: null, max: null }, clippedFraction: 0.5, lr: 0.01, seconds: 2 })
  })
})
