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
    expect(detectTimeFormat('date', ['13/04/2024'])).toMatchObject({ kind: 'ambiguous-order', dayFirstOnly: true })
    expect(detectTimeFormat('value', ['1.5', '2.5'])).toEqual({ kind: 'none' })
  })
})
