import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { fileSha256, readCsv } from '../../../../src/core/data/csv-read'
import type { Dialect } from '../../../../src/core/data/dialect'
import { csvFile } from './helpers'

const dialect: Dialect = { delimiter: ',', decimal: '.', fromLine: 1, decimalDetected: false }
const utf8 = { encoding: 'utf-8' as const, bomBytes: 0, detected: false }

async function records(content: string, maxRecordChars?: number): Promise<Array<{ record: string[]; line: number }>> {
  const out: Array<{ record: string[]; line: number }> = []
  await readCsv(csvFile(content), { dialect, encoding: utf8, fileName: 'x.csv', maxRecordChars, onRecord: (record, line) => out.push({ record, line }) })
  return out
}

describe('readCsv (RFC 4180 through csv-parse)', () => {
  it('parses quoted delimiters, doubled quotes and CR, LF, CRLF inside quotes exactly (reliability 14)', async () => {
    const rows = await records('a,b\r\n"x,y","say ""hi"""\r\n"line1\nline2","cr\rcrlf\r\nend"\r\n')
    expect(rows.map((r) => r.record)).toEqual([
      ['a', 'b'],
      ['x,y', 'say "hi"'],
      ['line1\nline2', 'cr\rcrlf\r\nend'],
    ])
  })

  it('reads LF, CRLF and CR line endings and skips blank lines', async () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const rows = await records(['a,b', '1,2', '', '3,4', ''].join(eol))
      expect(rows.map((r) => r.record)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']])
    }
  })

  it('reports an unclosed quote with the line where its record starts (reliability 15)', async () => {
    await expect(records('a,b\n1,2\n3,"oops\n5,6\n')).rejects.toMatchObject({ code: 'CSV_UNCLOSED_QUOTE', details: { line: 3 } })
  })

  it('stops a runaway quoted field at the record-size cap (reliability 15)', async () => {
    const body = 'a,b\n1,"' + 'x,'.repeat(5000) + '\n2,3\n'
    await expect(records(body, 1000)).rejects.toMatchObject({ code: 'CSV_RECORD_TOO_LARGE', details: { line: 2 } })
  })

})

describe('fileSha256', () => {
  it('is the SHA-256 of the source bytes, BOM and all, read in chunks', async () => {
    const content = '\uFEFFa,b\n' + '1,2\n'.repeat(400_000)
    const bytes = Buffer.from(content)
    expect(bytes.length).toBeGreaterThan(1 << 20)
    expect(await fileSha256(csvFile(content), { fileName: 'x.csv' })).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('names a missing file as FILE_NOT_FOUND', async () => {
    await expect(fileSha256('/nonexistent/x.csv', { fileName: 'x.csv' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })
})
