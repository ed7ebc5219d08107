import { describe, expect, it } from 'vitest'
import { compileTimeFormat, daysFromCivil, detectTimeFormat, parseIsoTimestamp, scaleEpoch, timeParser } from '../../../../src/core/data/timestamps'

describe('parseIsoTimestamp', () => {
  it('reads dates, date-times and offsets into UTC milliseconds', () => {
    expect(parseIsoTimestamp('2024-03-04')).toBe(Date.UTC(2024, 2, 4))
    expect(parseIsoTimestamp('2024-03-04T05:06')).toBe(Date.UTC(2024, 2, 4, 5, 6))
    expect(parseIsoTimestamp('2024-03-04 05:06')).toBe(Date.UTC(2024, 2, 4, 5, 6))
    expect(parseIsoTimestamp('2024-03-04 05:06:07')).toBe(Date.UTC(2024, 2, 4, 5, 6, 7))
    expect(parseIsoTimestamp('2024-03-04T05:06:07.125Z')).toBe(Date.UTC(2024, 2, 4, 5, 6, 7, 125))
    expect(parseIsoTimestamp('2024-03-04T05:06:07.1Z')).toBe(Date.UTC(2024, 2, 4, 5, 6, 7, 100))
    expect(parseIsoTimestamp('2024-03-04T05:06:07+01:00')).toBe(Date.UTC(2024, 2, 4, 4, 6, 7))
    expect(parseIsoTimestamp('2024-03-04T05:06:07-0230')).toBe(Date.UTC(2024, 2, 4, 7, 36, 7))
    expect(parseIsoTimestamp('2024-03-04T05:06+05')).toBe(Date.UTC(2024, 2, 4, 0, 6))
  })

  it('reads a time without an offset as UTC, so a DST repeat is two distinct hours, not a shift (reliability 25)', () => {
    // 2024-10-27 01:30 happens twice in Europe/Berlin; read as UTC both are the same instant and are flagged as duplicates later
    expect(parseIsoTimestamp('2024-10-27 01:30')).toBe(Date.UTC(2024, 9, 27, 1, 30))
    expect(parseIsoTimestamp('2024-10-27T01:30+02:00')).not.toBe(parseIsoTimestamp('2024-10-27T01:30+01:00'))
  })

  it('rejects impossible dates and times and anything loose', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-04-31', '2024-01-01T24:00', '2024-01-01T10:60', '2024-1-01', '20240101', '2024-01-01X', '2024-01-01T10:00Zjunk', 'March 4 2024', '', '2024-01-01T10:00:00.']) {
      expect(parseIsoTimestamp(bad), bad).toBeNaN()
    }
    expect(parseIsoTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29))
  })

  it('agrees with the civil calendar far from 1970', () => {
    expect(daysFromCivil(1600, 3, 1) * 86_400_000).toBe(Date.UTC(1600, 2, 1))
    expect(daysFromCivil(2400, 12, 31) * 86_400_000).toBe(Date.UTC(2400, 11, 31))
  })
})

describe('time formats', () => {
  it('reads day-first and month-first dates only in the order it is told (reliability 25)', () => {
    const dayFirst = timeParser(compileTimeFormat('DD/MM/YYYY'))
    const monthFirst = timeParser(compileTimeFormat('MM/DD/YYYY HH:MM'))
    expect(dayFirst('03/04/2024')).toBe(Date.UTC(2024, 3, 3))
    expect(monthFirst('03/04/2024')).toBe(Date.UTC(2024, 2, 4))
    expect(dayFirst('3/4/2024 5:06')).toBe(Date.UTC(2024, 3, 3, 5, 6))
    expect(dayFirst('03/04/2024 05:06:07')).toBe(Date.UTC(2024, 3, 3, 5, 6, 7))
    expect(dayFirst('31/12/2024')).toBe(Date.UTC(2024, 11, 31))
    expect(monthFirst('31/12/2024')).toBeNaN()
    expect(timeParser(compileTimeFormat('DD.MM.YYYY'))('24.12.2024')).toBe(Date.UTC(2024, 11, 24))
    expect(timeParser(compileTimeFormat('YYYY/MM/DD'))('2024/12/24')).toBe(Date.UTC(2024, 11, 24))
  })

  it('refuses a format it does not know', () => {
    expect(() => compileTimeFormat('%d %b %Y')).toThrow(expect.objectContaining({ code: 'CSV_BAD_TIMESTAMP' }))
  })

  it('chooses epoch seconds or milliseconds by the magnitude of the whole column', () => {
    expect(Array.from(scaleEpoch(Float64Array.of(1_700_000_000, 1_700_003_600)))).toEqual([1_700_000_000_000, 1_700_003_600_000])
    expect(Array.from(scaleEpoch(Float64Array.of(1_700_000_000_000, 1_700_003_600_000)))).toEqual([1_700_000_000_000, 1_700_003_600_000])
    expect(timeParser(compileTimeFormat('epoch-s'))('1700000000')).toBe(1_700_000_000_000)
  })
})

describe('detectTimeFormat', () => {
  it('recognises ISO columns, epoch columns with a time-like name, and ambiguous slash dates', () => {
    expect(detectTimeFormat('when', ['2024-01-01', '2024-01-02 10:00'])).toMatchObject({ kind: 'format', format: { kind: 'iso' } })
    expect(detectTimeFormat('timestamp', ['1700000000', '1700003600'])).toMatchObject({ kind: 'format', format: { kind: 'epoch' } })
    expect(detectTimeFormat('price', ['1700000000', '1700003600'])).toEqual({ kind: 'none' })
    expect(detectTimeFormat('date', ['03/04/2024', '04/04/2024'])).toMatchObject({ kind: 'ambiguous-order', dayFirstOnly: false })
    // a number over 12 in one place makes it the day: the data chose the order
    expect(detectTimeFormat('date', ['12/04/2024', '13/04/2024'])).toEqual({ kind: 'format', format: { kind: 'day-month', separator: '/', label: 'DD/MM/YYYY' } })
    expect(detectTimeFormat('Datum', ['31.12.2023 23:00', '01.01.2024 00:00'])).toEqual({ kind: 'format', format: { kind: 'day-month', separator: '.', label: 'DD.MM.YYYY HH:MM' } })
    expect(detectTimeFormat('date', ['12-30-2023', '01-02-2024'])).toEqual({ kind: 'format', format: { kind: 'month-day', separator: '-', label: 'MM-DD-YYYY' } })
    // over 12 in both places: no one order reads them all
    expect(detectTimeFormat('date', ['13/04/2024', '04/13/2024'])).toMatchObject({ kind: 'ambiguous-order', dayFirstOnly: true, monthFirstOnly: true })
    expect(detectTimeFormat('value', ['1.5', '2.5'])).toEqual({ kind: 'none' })
  })
})

describe('detectTimeFormat: the formats of analysts\' files', () => {
  const tokensOf = (name: string, cells: string[]) => {
    const detection = detectTimeFormat(name, cells)
    return detection.kind === 'format' ? (detection.format.tokens ?? detection.format.kind) : detection.kind
  }

  it('recognises quarters, year-months, month names and compact dates from a sample', () => {
    expect(tokensOf('date', ['1974Q1', '1974Q2'])).toBe("yyyy'Q'q")
    expect(tokensOf('date', ['1974-Q1', '1974-Q2'])).toBe("yyyy-'Q'q")
    expect(tokensOf('date', ['Q1 1974', 'Q2 1974'])).toBe("'Q'q yyyy")
    expect(tokensOf('month', ['2020-01', '2020-02'])).toBe('yyyy-MM')
    expect(tokensOf('month', ['202001', '202002'])).toBe('yyyyMM')
    expect(tokensOf('month', ['Jan 2020', 'Feb 2020'])).toBe('MMM yyyy')
    expect(tokensOf('month', ['January 2020', 'February 2020'])).toBe('MMMM yyyy')
    expect(tokensOf('date', ['Jan-1-1995', 'Jan-2-1995'])).toBe('MMM-d-yyyy')
    expect(tokensOf('date', ['1 Jan 2020', '2 Jan 2020'])).toBe('d MMM yyyy')
    expect(tokensOf('date', ['January 1, 2000', 'January 2, 2000'])).toBe('MMMM d, yyyy')
    expect(tokensOf('date', ['19580329', '19580405'])).toBe('yyyyMMdd')
    expect(tokensOf('date', ['2015/01/01 01:00:00', '2015/01/01 04:00:00'])).toBe('yyyy/MM/dd HH:mm:ss')
    expect(tokensOf('year', ['1700', '1701', '1703'])).toBe('yyyy')
    expect(tokensOf('year', ['1990', '1990', '1991', '1991'])).toBe('yyyy')
  })

  it('does not take digits for time in a column whose name does not say so, nor repeated years', () => {
    expect(tokensOf('price', ['201905', '201906'])).toBe('none')
    expect(tokensOf('price', ['1700', '1701'])).toBe('none')
  })

  it('reports several fitting formats as ambiguous, the column name breaking ties', () => {
    expect(detectTimeFormat('time', ['199501011200'])).toMatchObject({ kind: 'ambiguous', candidates: [{ tokens: 'yyyyMMddHHmm' }, { kind: 'epoch' }] })
    expect(tokensOf('timestamp', ['199501011200'])).toBe('epoch')
  })

  it('takes Luxon tokens and refuses other pattern languages', () => {
    expect(timeParser(compileTimeFormat('MMM-d-yyyy'))('Feb-3-1995')).toBe(Date.UTC(1995, 1, 3))
    expect(timeParser(compileTimeFormat("yyyy'Q'q"))('2009Q3')).toBe(Date.UTC(2009, 6, 1))
    expect(timeParser(compileTimeFormat('yyyyMMddHHmm'))('199501011230')).toBe(Date.UTC(1995, 0, 1, 12, 30))
    expect(() => compileTimeFormat('%Y-%m-%d')).toThrow(expect.objectContaining({ code: 'CSV_BAD_TIMESTAMP' }))
  })
})
