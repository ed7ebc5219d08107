import { describe, expect, it } from 'vitest'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { escapeText, formatCell, formatNumber, isoUtc, toCsv, writeCsvFile, type Cell } from '../../../../src/core/data/export'
import { ClipcastError } from '../../../../src/shared/errors'

describe('formatNumber', () => {
  it('writes the shortest form that reads back as the same double, with . decimals', () => {
    for (const value of [0.1 + 0.2, 1 / 3, -2.5, 1e-7, 123456789.123, 5e-324, 1.7976931348623157e308, -0]) {
      expect(Number(formatNumber(value))).toBe(value === 0 ? 0 : value)
    }
    expect(formatNumber(0.1 + 0.2)).toBe('0.30000000000000004')
    expect(formatNumber(-2.5)).toBe('-2.5')
    expect(formatNumber(-0)).toBe('0')
  })

  it('writes a missing value as an empty field, never NaN or Infinity', () => {
    expect(formatNumber(NaN)).toBe('')
    expect(formatNumber(Infinity)).toBe('')
    expect(formatCell(null)).toBe('')
  })
})

describe('escapeText', () => {
  it('prefixes text that a spreadsheet would run as a formula (reliability 23)', () => {
    expect(escapeText('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)")
    expect(escapeText('+1')).toBe("'+1")
    expect(escapeText('-cmd')).toBe("'-cmd")
    expect(escapeText('@x')).toBe("'@x")
    expect(escapeText('\tx')).toBe("'\tx")
    expect(escapeText('\rx')).toBe('"\'\rx"')
    expect(escapeText('plain')).toBe('plain')
  })

  it('leaves negative numbers numeric', () => {
    expect(formatCell(-3.25)).toBe('-3.25')
    expect(formatCell(-1e-9)).toBe('-1e-9')
  })

  it('quotes fields with a delimiter, quote, CR or LF and doubles inner quotes', () => {
    expect(escapeText('a,b')).toBe('"a,b"')
    expect(escapeText('say "hi"')).toBe('"say ""hi"""')
    expect(escapeText('two\nlines')).toBe('"two\nlines"')
    expect(escapeText('cr\r\nlf')).toBe('"cr\r\nlf"')
    expect(escapeText('=a,"b"')).toBe('"\'=a,""b"""')
  })
})

describe('toCsv', () => {
  it('produces RFC 4180 text that a strict parser reads back field for field (reliability 23)', () => {
    const header = ['time', 'temp, °C', '=danger', 'note']
    const rows = [
      [isoUtc(Date.UTC(2024, 0, 31, 23)), -1.5, 0.1 + 0.2, 'a "quoted"\r\nvalue'],
      [isoUtc(Date.UTC(2024, 1, 1)), null, 1e21, '@sum'],
    ]
    const text = toCsv(header, rows)
    expect(text.endsWith('\r\n')).toBe(true)
    const parsed = parse(text, { relax_column_count: false }) as string[][]
    expect(parsed).toEqual([
      ['time', 'temp, °C', "'=danger", 'note'],
      ['2024-01-31T23:00:00.000Z', '-1.5', '0.30000000000000004', 'a "quoted"\r\nvalue'],
      ['2024-02-01T00:00:00.000Z', '', '1e+21', "'@sum"],
    ])
  })

  it('refuses a row whose length differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(RangeError)
  })
})

describe('writeCsvFile', () => {
  it('writes through a temporary file and leaves only the target behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clipcast-export-'))
    const path = join(dir, 'out.csv')
    writeFileSync(path, 'old')
    const result = writeCsvFile(path, ['a'], [[1], [2]])
    expect(result.rows).toBe(2)
    expect(readFileSync(path, 'utf8')).toBe('a\r\n1\r\n2\r\n')
    expect(readdirSync(dir)).toEqual(['out.csv'])
  })

  it('writes rows from a generator, more than one write buffer of them, byte for byte as toCsv', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clipcast-export-'))
    const path = join(dir, 'out.csv')
    const rows = Array.from({ length: 10_000 }, (_, i): Cell[] => [i, i % 3 === 0 ? null : `=r${i}`])
    function* generate(): Generator<Cell[]> {
      yield* rows
    }
    const result = writeCsvFile(path, ['n', 'text'], generate())
    expect(result.rows).toBe(10_000)
    expect(readFileSync(path, 'utf8')).toBe(toCsv(['n', 'text'], rows))
    expect(result.sizeBytes).toBe(Buffer.byteLength(toCsv(['n', 'text'], rows)))
  })

  it('passes an error thrown while producing or checking rows through and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clipcast-export-'))
    function* failing(): Generator<Cell[]> {
      yield [1]
      throw new ClipcastError('NON_FINITE_WEIGHTS', 'test')
    }
    expect(() => writeCsvFile(join(dir, 'out.csv'), ['a'], failing())).toThrow(expect.objectContaining({ code: 'NON_FINITE_WEIGHTS' }))
    expect(() => writeCsvFile(join(dir, 'out.csv'), ['a', 'b'], [[1]])).toThrow(RangeError)
    expect(readdirSync(dir)).toEqual([])
  })

  it('fails with EXPORT_WRITE into a missing folder and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clipcast-export-'))
    expect(() => writeCsvFile(join(dir, 'missing', 'out.csv'), ['a'], [[1]])).toThrow(expect.objectContaining({ code: 'EXPORT_WRITE' }))
    expect(readdirSync(dir)).toEqual([])
  })
})
