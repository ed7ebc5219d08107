import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { readCsv } from '../../../../src/core/data/csv-read'
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

  it('returns the SHA-256 of the source bytes', async () => {
    const content = 'a,b\n1,2\n'
    const result = await readCsv(csvFile(content), { dialect, encoding: utf8, fileName: 'x.csv', onRecord: () => {} })
    expect(result.sha256).toBe(createHash('sha256').update(content).digest('hex'))
  })
})
