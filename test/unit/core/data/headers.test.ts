import { describe, expect, it } from 'vitest'
import { sanitizeHeaders } from '../../../../src/core/data/headers'

describe('sanitizeHeaders', () => {
  it('renames duplicates with a warning and never shifts columns', () => {
    const { names, warnings } = sanitizeHeaders(['time', 'a', 'a', 'a', 'a_2'])
    expect(names).toEqual(['time', 'a', 'a_2', 'a_3', 'a_2_2'])
    expect(warnings.map((w) => w.code)).toEqual(['CSV_DUPLICATE_HEADER'])
  })

  it('renames __proto__, constructor and empty headers', () => {
    const { names, warnings } = sanitizeHeaders(['time', '__proto__', 'constructor', ' ', '\uFEFFx'])
    expect(names).toEqual(['time', '__proto___column', 'constructor_column', 'column_4', 'x'])
    expect(warnings.map((w) => w.code)).toEqual(['CSV_BAD_HEADER'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
