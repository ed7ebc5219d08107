import { describe, expect, it } from 'vitest'
import { detectDialect } from '../../../../src/core/data/dialect'
import { delimiterText } from '../../../../src/shared/delimiters'
import type { ClipcastError } from '../../../../src/shared/errors'

describe('detectDialect', () => {
  it('finds , ; tab and | delimiters', () => {
    expect(detectDialect('time,a,b\n2024-01-01,1.5,2\n').delimiter).toBe(',')
    expect(detectDialect('time;a;b\n2024-01-01;1,5;2\n').delimiter).toBe(';')
    expect(detectDialect('time\ta\tb\n2024-01-01\t1.5\t2\n').delimiter).toBe('\t')
    expect(detectDialect('time|a|b\n2024-01-01|1.5|2\n').delimiter).toBe('|')
  })

  it('honours an Excel sep= first line and skips it', () => {
    expect(detectDialect('sep=;\ntime;a\n2024-01-01;1,5\n')).toMatchObject({ delimiter: ';', fromLine: 2, decimal: ',' })
    expect(detectDialect('"sep=|"\r\ntime|a\r\n2024-01-01|1\r\n')).toMatchObject({ delimiter: '|', fromLine: 2 })
  })

  it('asks rather than guesses when two delimiters both split evenly (reliability 18)', () => {
    expect(() => detectDialect('time,a;b\n2024-01-01,1;2\n')).toThrow(expect.objectContaining({ code: 'CSV_AMBIGUOUS_DELIMITER' }))
    expect(detectDialect('time,a;b\n2024-01-01,1;2\n', { delimiter: ';' }).delimiter).toBe(';')
  })

  it('names a tab in its hint as the import dialog\'s dropdown names it, not as an escape', () => {
    const hint = (() => {
      try {
        detectDialect('time\ta|b\n2024-01-01\t1|2\n')
      } catch (error) {
        expect(error).toMatchObject({ code: 'CSV_AMBIGUOUS_DELIMITER', details: { candidates: ['\t', '|'] } })
        return (error as ClipcastError).hint ?? ''
      }
      return ''
    })()
    expect(hint).toContain(delimiterText('\t'))
    expect(hint).not.toContain('\\t')
  })

  it('detects decimal commas (with thousands dots) and refuses a mix of marks (reliability 18)', () => {
    expect(detectDialect('time;a\n2024-01-01;1.234,56\n2024-01-02;7\n').decimal).toBe(',')
    expect(detectDialect('time,a\n2024-01-01,"1,5"\n').decimal).toBe(',')
    expect(detectDialect('time;a\n2024-01-01;1.5\n').decimal).toBe('.')
    expect(() => detectDialect('time;a;b\n2024-01-01;1,5;2.5\n')).toThrow(expect.objectContaining({ code: 'CSV_AMBIGUOUS_DECIMAL' }))
    expect(detectDialect('time;a;b\n2024-01-01;1,5;2.5\n', { decimal: ',' }).decimal).toBe(',')
  })

  it('asks about thousands-only cells like 1.234 instead of reading them as decimals (reliability 18)', () => {
    expect(() => detectDialect('time;a\n2024-01-01;1.234\n2024-01-02;12.500\n')).toThrow(expect.objectContaining({ code: 'CSV_AMBIGUOUS_DECIMAL', details: { thousandsExample: '1.234', settings: ['decimal'] } }))
    // any other cell settles it
    expect(detectDialect('time;a\n2024-01-01;1.234\n2024-01-02;0.5\n').decimal).toBe('.')
    expect(detectDialect('time;a\n2024-01-01;1.234\n2024-01-02;0.000\n').decimal).toBe('.')
    expect(detectDialect('time;a\n2024-01-01;1.234\n2024-01-02;0,5\n').decimal).toBe(',')
    expect(detectDialect('time;a\n2024-01-01;1.234\n', { decimal: ',' }).decimal).toBe(',')
  })

  it('reads timestamps with fractional seconds as neither decimal mark', () => {
    expect(detectDialect('time;a\n2024-01-01 10:00:00.5;1,5\n').decimal).toBe(',')
  })
})
