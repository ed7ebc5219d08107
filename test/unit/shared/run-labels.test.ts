import { describe, expect, it } from 'vitest'
import { applyLabelChange, changedTags, MAX_NOTE_LENGTH, MAX_TAGS, normaliseTag } from '../../../src/shared/run-labels'

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

describe('run labels', () => {
  it('stores a tag trimmed, with inner whitespace as one dash', () => {
    expect(normaliseTag('  clip  study ')).toBe('clip-study')
  })

  it('refuses a tag that would not survive the run table: empty, with a comma or "=", or too long', () => {
    for (const bad of ['', '   ', 'a,b', 'lr=1', 'x'.repeat(41), 'tab\u0001']) expect(codeOf(() => normaliseTag(bad))).toBe('BAD_TAG')
  })

  it('adds tags sorted and once, and a removal wins over an addition of the same tag', () => {
    expect(changedTags(['b'], { add: ['a', 'b', 'c'] })).toEqual(['a', 'b', 'c'])
    expect(changedTags(['a', 'b'], { add: ['c'], remove: ['a', 'c'] })).toEqual(['b'])
    expect(codeOf(() => changedTags([], { add: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) }))).toBe('BAD_TAG')
  })

  it('replaces the note only when one is given, trimmed', () => {
    const current = { runId: 3, tags: ['a'], note: 'old' }
    expect(applyLabelChange(current, { add: ['b'] })).toEqual({ runId: 3, tags: ['a', 'b'], note: 'old' })
    expect(applyLabelChange(current, { note: '  new one \n' })).toEqual({ runId: 3, tags: ['a'], note: 'new one' })
    expect(applyLabelChange(current, { note: '' }).note).toBe('')
    expect(codeOf(() => applyLabelChange(current, { note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }))).toBe('BAD_TAG')
  })
})
