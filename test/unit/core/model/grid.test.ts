import { describe, expect, it } from 'vitest'
import { parseGridColumns } from '../../../../src/core/model/grid'

describe('parseGridColumns', () => {
  it('maps feature[row,col] names to cells of a grid and orders them row, col, feature', () => {
    const names = ['temp[1,1]', 'temp[1,2]', 'wind[1,1]', 'temp[2,1]', 'wind[1,2]', 'temp[2,2]', 'wind[2, 1]', 'wind[2,2]']
    const grid = parseGridColumns(names)
    expect(grid.rows).toBe(2)
    expect(grid.cols).toBe(2)
    expect(grid.features).toEqual(['temp', 'wind'])
    expect(grid.cells[3]).toEqual({ name: 'temp[2,1]', feature: 0, row: 1, col: 0 })
    // [row 0: (temp, wind) at col 0, then col 1; row 1: …]
    expect(grid.order.map((k) => names[k])).toEqual(['temp[1,1]', 'wind[1,1]', 'temp[1,2]', 'wind[1,2]', 'temp[2,1]', 'wind[2, 1]', 'temp[2,2]', 'wind[2,2]'])
  })

  it('counts rows and columns from the smallest index, 0 or 1', () => {
    const grid = parseGridColumns(['a[0,0]', 'a[0,1]', 'a[0,2]'])
    expect([grid.rows, grid.cols]).toEqual([1, 3])
  })

  it('refuses a hole in the grid', () => {
    expect(() => parseGridColumns(['t[0,0]', 't[0,1]', 't[1,0]'])).toThrow(expect.objectContaining({ code: 'BAD_GRID_COLUMNS' }))
    // a feature that covers fewer cells than another is a hole too
    expect(() => parseGridColumns(['t[0,0]', 't[0,1]', 'w[0,0]'])).toThrow(expect.objectContaining({ code: 'BAD_GRID_COLUMNS' }))
  })

  it('refuses a mix of grid and plain columns, a repeated cell and no columns', () => {
    expect(() => parseGridColumns(['t[0,0]', 'pressure'])).toThrow(expect.objectContaining({ code: 'BAD_GRID_COLUMNS' }))
    expect(() => parseGridColumns(['t[0,0]', 't[0, 0]'])).toThrow(expect.objectContaining({ code: 'BAD_GRID_COLUMNS' }))
    expect(() => parseGridColumns([])).toThrow(expect.objectContaining({ code: 'BAD_GRID_COLUMNS' }))
  })
})
