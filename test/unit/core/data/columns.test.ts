import { describe, expect, it } from 'vitest'
import { columnStats, NumericColumnBuilder, parsePlainDecimal } from '../../../../src/core/data/columns'

function read(cells: string[], decimalComma = false): NumericColumnBuilder {
  const builder = new NumericColumnBuilder(decimalComma)
  cells.forEach((cell, i) => builder.add(cell, i + 2))
  return builder
}

describe('NumericColumnBuilder', () => {
  it('counts NA, N/A, #N/A, -, NaN, null and empty cells as missing, never as 0 (reliability 19)', () => {
    const builder = read(['1.5', 'NA', 'na', 'N/A', '#N/A', '-', 'NaN', 'nan', 'null', 'NULL', '', '  ', ' NA '])
    expect(builder.missing).toBe(12)
    expect(builder.numbers).toBe(1)
    const values = Array.from(builder.values.view())
    expect(values[0]).toBe(1.5)
    expect(values.slice(1).every(Number.isNaN)).toBe(true)
  })

  it('reads ordinary numbers exactly like Number()', () => {
    const cells = ['0', '-0.5', '+3', '1e3', '1.5E-2', '.25', '123456789.125', '-7']
    expect(Array.from(read(cells).values.view())).toEqual(cells.map(Number))
  })

  it('rejects inf, 1e400 and Infinity as non-finite with their line (reliability 19)', () => {
    const builder = read(['1', 'inf', '1e400', '-Infinity'])
    expect(builder.nonFinite).toBe(3)
    expect(builder.firstNonFinite).toEqual({ line: 3, value: 'inf' })
    expect(Number.isNaN(builder.values.view()[1])).toBe(true)
  })

  it('rejects hex literals and words as not numbers and remembers the first', () => {
    const builder = read(['1', '2', '0x1F', 'abc', '3'])
    expect(builder.notNumbers).toBe(2)
    expect(builder.firstNotNumber).toEqual({ line: 4, value: '0x1F' })
    expect(builder.isText()).toBe(false)
  })

  it('calls a column text when most non-missing cells are not numbers', () => {
    expect(read(['sunny', 'rain', '3', 'NA']).isText()).toBe(true)
    expect(read(['sunny', '2', '3']).isText()).toBe(false)
    expect(read(['NA', '']).isText()).toBe(false)
  })

  it('reads decimal commas with thousands dots when told to', () => {
    const builder = read(['1.234,56', '-0,5', '12', '1,5e3', '1.23'], true)
    expect(Array.from(builder.values.view()).slice(0, 4)).toEqual([1234.56, -0.5, 12, 1500])
    expect(builder.notNumbers).toBe(1)
    expect(builder.firstNotNumber?.value).toBe('1.23')
  })
})

describe('columnStats', () => {
  it('gives min, max, mean and population std over non-missing values', () => {
    expect(columnStats(Float64Array.of(1, NaN, 3, 5))).toEqual({ min: 1, max: 5, mean: 3, std: Math.sqrt(8 / 3) })
    expect(columnStats(Float64Array.of(NaN, NaN))).toBeUndefined()
  })
})

describe('parsePlainDecimal', () => {
  it('gives exactly the double Number() gives for plain decimals, and NaN for anything else', () => {
    let seed = 7
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 16807) % 2147483647
      const cell = ((seed / 2147483647 - 0.5) * 10 ** (seed % 12)).toFixed(seed % 7)
      const significant = cell.replace(/[^0-9]/g, '').length
      if (significant <= 15) expect(parsePlainDecimal(cell, 46), cell).toBe(Number(cell))
      else expect(parsePlainDecimal(cell, 46), cell).toBeNaN()
    }
    for (const cell of ['1e3', ' 1', '1 ', '', '-', '.', '1.2.3', '1234567890123456', 'NaN', '0x10']) expect(parsePlainDecimal(cell, 46), cell).toBeNaN()
    expect(parsePlainDecimal('-0,25', 44)).toBe(-0.25)
  })
})
