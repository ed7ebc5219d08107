import { describe, expect, it } from 'vitest'
import { RecordSplitter } from '../../../../src/core/data/csv-records'

function split(pieces: string[], fromLine = 1, cap = 1 << 20): Array<[string[], number]> {
  const out: Array<[string[], number]> = []
  const splitter = new RecordSplitter(',', fromLine, cap, 'x.csv', (record, line) => out.push([record, line]))
  pieces.forEach((piece, i) => splitter.push(piece, i === pieces.length - 1))
  return out
}

function chop(text: string, size: number): string[] {
  const pieces: string[] = []
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size))
  return [...pieces, '']
}

const TEXT = 'sep=,\na,b\n1,"x\ny"\n\n2,"say ""hi"""\n , \n3,4\n"5","6\n7\n8"\n9,10'

describe('RecordSplitter', () => {
  it('gives every record the line it ends on, skipping the sep= line, blank lines and blank records', () => {
    expect(split([TEXT, ''], 2)).toEqual([
      [['a', 'b'], 2],
      [['1', 'x\ny'], 4],
      [['2', 'say "hi"'], 6],
      [['3', '4'], 8],
      [['5', '6\n7\n8'], 11],
      [['9', '10'], 12],
    ])
  })

  it('gives the same records and lines however the text is cut into chunks', () => {
    const whole = split([TEXT, ''], 2)
    for (const size of [1, 2, 3, 5, 7, 11]) expect(split(chop(TEXT, size), 2), `chunks of ${size}`).toEqual(whole)
  })

  it('reads CRLF and CR files and counts their lines', () => {
    for (const size of [4, 100]) expect(split(chop('a,b\r\n1,2\r\n\r\n3,4\r\n', size))).toEqual([[['a', 'b'], 1], [['1', '2'], 2], [['3', '4'], 4]])
    expect(split(chop('a,b\r1,2\r3,4', 2))).toEqual([[['a', 'b'], 1], [['1', '2'], 2], [['3', '4'], 3]])
  })

  it('stops an unfinished record at the cap, and names an unclosed quote at the end with its starting line', () => {
    expect(() => split(chop('a,b\n1,"' + 'x'.repeat(100), 10), 1, 50)).toThrow(expect.objectContaining({ code: 'CSV_RECORD_TOO_LARGE', details: { line: 2 } }))
    expect(() => split(chop('a,b\n1,2\n3,"oops\n5,6\n', 4))).toThrow(expect.objectContaining({ code: 'CSV_UNCLOSED_QUOTE', details: expect.objectContaining({ line: 3 }) }))
  })
})
