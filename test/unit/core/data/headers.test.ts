import { describe, expect, it } from 'vitest'
import { sanitizeHeaders } from '../../../../src/core/data/headers'

describe('sanitizeHeaders', () => {
  it('renames duplicates with a warning and never shifts columns', () => {
    const { names, warnings } = sanitizeHeaders(['time', 'a', 'a', 'a', 'a_2'])
    expect(names).toEqual(['time', 'a', 'a_2', 'a_3', 'a_2_2'])
    expect(warnings.map((w) => w.code)).toEqual(['CSV_DUPLICATE_HEADER'])
  })

  it('renames __proto__, constructor and empty headers (reliability 20)', () => {
    const { names, warnings } = sanitizeHeaders(['time', '__proto__', 'constructor', ' ', '\uFEFFx'])
    expect(names).toEqual(['time', '__proto___column', 'constructor_column', 'column_4', 'x'])
    expect(warnings.map((w) => w.code)).toEqual(['CSV_BAD_HEADER'])
  })

  it('gives names that are safe as keys of a plain object (reliability 20)', () => {
    const { names } = sanitizeHeaders(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])
    // what code that keys rows by header would do; a raw "__proto__" here would replace the prototype instead of adding a key
    const row: Record<string, unknown> = {}
    names.forEach((name, i) => (row[name] = { polluted: i }))
    expect(Object.keys(row)).toEqual(names)
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype)
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
  })
})
