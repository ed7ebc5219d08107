import { describe, expect, it } from 'vitest'
import { chooseEncoding } from '../../../../src/core/data/encoding'
import { codeOf, importText } from './helpers'

const text = 'time,température\n2024-01-01,1.5\n2024-01-02,2.5\n'

function utf16(content: string, bigEndian: boolean): Uint8Array {
  const le = Buffer.from('\uFEFF' + content, 'utf16le')
  if (!bigEndian) return le
  const be = Buffer.from(le)
  for (let i = 0; i + 1 < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1]!, be[i]!]
  return be
}

describe('encodings', () => {
  it('reads UTF-8 with and without a BOM to the same clean first header (reliability 17)', async () => {
    const plain = await importText(text)
    const bom = await importText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))
    expect(plain.timeColumn).toBe('time')
    expect(bom.timeColumn).toBe('time')
    expect(bom.columns.map((c) => c.name)).toEqual(['température'])
  })

  it('reads UTF-16 LE and BE by their BOM (reliability 17)', async () => {
    for (const bigEndian of [false, true]) {
      const dataset = await importText(utf16(text, bigEndian))
      expect(dataset.timeColumn).toBe('time')
      expect(dataset.columns[0]).toMatchObject({ name: 'température', kind: 'numeric', missing: 0 })
      expect(dataset.rows).toBe(2)
    }
  })

  it('reads Windows-1252 when asked, and when it is unmistakable (with a warning) (reliability 17)', async () => {
    const cp1252 = Buffer.from(text, 'latin1')
    const asked = await importText(cp1252, { encoding: 'windows-1252' })
    expect(asked.columns[0]!.name).toBe('température')
    const detected = await importText(cp1252)
    expect(detected.columns[0]!.name).toBe('température')
    expect(detected.warnings.map((w) => w.code)).toContain('ENCODING_DETECTED')
  })

  it('refuses bytes that do not decode, with the line, never replacing them (reliability 17)', async () => {
    // valid UTF-8 "é" in the header, then a lone 0xFF on line 3
    const bad = Buffer.concat([Buffer.from('time,température\n2024-01-01,1\n2024-01-02,'), Buffer.from([0xff]), Buffer.from('2\n')])
    await expect(importText(bad)).rejects.toMatchObject({ code: 'CSV_ENCODING', details: { line: 3 } })
    expect(() => chooseEncoding(bad)).toThrow(expect.objectContaining({ code: 'CSV_ENCODING' }))
  })

  it('finds undecodable bytes past the first chunk of a large file', async () => {
    const rows = ['time,a']
    for (let i = 0; i < 40_000; i++) rows.push(`${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},${i}`)
    const bad = Buffer.concat([Buffer.from(rows.join('\n') + '\n'), Buffer.from('2030-01-01T00:00:00Z,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])
    await expect(importText(bad)).rejects.toMatchObject({ code: 'CSV_ENCODING', details: { line: 40_002 } })
  })

  it('refuses a lone UTF-16 surrogate with its line', async () => {
    const good = utf16(text, false)
    // a high surrogate (D800) followed by "1" instead of a low surrogate, on line 3
    const bad = Buffer.concat([good, Buffer.from('2024-01-03,', 'utf16le'), Buffer.from([0x00, 0xd8, 0x31, 0x00]), Buffer.from('\n', 'utf16le')])
    await expect(importText(bad)).rejects.toMatchObject({ code: 'CSV_ENCODING', details: { line: 4 } })
  })

  it('reads UTF-16 without a BOM by where its NULs fall, and says so', async () => {
    for (const bigEndian of [false, true]) {
      const dataset = await importText(utf16(text, bigEndian).subarray(2))
      expect(dataset.columns[0]).toMatchObject({ name: 'température', kind: 'numeric', missing: 0 })
      expect(dataset.rows).toBe(2)
      expect(dataset.warnings.filter((w) => w.code === 'ENCODING_DETECTED').map((w) => w.message)).toEqual([`data.csv has no byte-order mark; its NULs say UTF-16 ${bigEndian ? 'BE' : 'LE'}, and it was read so.`])
    }
  })

  it('refuses NUL bytes that are not UTF-16 instead of reading them', async () => {
    // UTF-8 text with a NUL in a cell: no side holds half the code units' NULs
    expect(await codeOf(importText(Buffer.from('time,a\n2024-01-01,1\u0000\n2024-01-02,2\n')))).toBe('CSV_ENCODING')
  })
})
