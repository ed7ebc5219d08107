import { describe, expect, it } from 'vitest'
import { ClipcastError, hasErrorCode } from '../../../src/shared/errors'

describe('hasErrorCode', () => {
  it('is true for a ClipcastError with the code, or with one of several codes', () => {
    const error = new ClipcastError('WORKSPACE_BUSY', 'busy')
    expect(hasErrorCode(error, 'WORKSPACE_BUSY')).toBe(true)
    expect(hasErrorCode(error, 'WORKSPACE_WRITE', 'WORKSPACE_BUSY')).toBe(true)
  })

  it('is false for another code, a plain Error, or error data that only looks alike', () => {
    expect(hasErrorCode(new ClipcastError('RUN_FAILED', 'failed'), 'RUN_DIVERGED')).toBe(false)
    expect(hasErrorCode(new Error('WORKSPACE_BUSY'), 'WORKSPACE_BUSY')).toBe(false)
    expect(hasErrorCode({ code: 'WORKSPACE_BUSY', message: 'busy' }, 'WORKSPACE_BUSY')).toBe(false)
  })
})
