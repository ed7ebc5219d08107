import { describe, expect, it } from 'vitest'
import { DELIMITERS, delimiterFromText, delimiterText } from '../../../src/shared/delimiters'

describe('delimiters in words', () => {
  it('reads back every delimiter from the name the hints give it, and the character itself', () => {
    for (const delimiter of DELIMITERS) {
      const name = delimiterText(delimiter).replace(/ \(.\)$/, '')
      expect(delimiterFromText(name)).toBe(delimiter)
      expect(delimiterFromText(name.toUpperCase())).toBe(delimiter)
      expect(delimiterFromText(delimiter)).toBe(delimiter)
    }
    expect(delimiterFromText('\\t')).toBe('\t')
    expect(delimiterFromText(':')).toBe(':')
  })
})
