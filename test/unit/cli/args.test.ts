import { describe, expect, it } from 'vitest'
import { parseRunId, positiveInteger } from '../../../src/cli/args'

describe('CLI arguments', () => {
  it('takes a run id written as positive digits and refuses anything else', () => {
    expect(parseRunId('12')).toBe(12)
    for (const bad of ['0', '-3', '1.5', '1e3', ' 4', 'abc', '']) {
      expect(() => parseRunId(bad)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
    }
  })

  it('checks whole-number flags with the code the command asks for', () => {
    expect(positiveInteger('folds', '3')).toBe(3)
    expect(() => positiveInteger('folds', '0')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
    expect(() => positiveInteger('epochs', '2.5', 'INVALID_CONFIG')).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
  })
})
