import { describe, expect, it } from 'vitest'
import { matchingRows, sortRows, visibleColumns } from '../../../src/renderer/src/lib/run-table'
import type { RunTable } from '../../../src/shared/run-table'

const TABLE: RunTable = {
  summary: 'best',
  columns: [
    { key: 'id', group: 'run', varying: true },
    { key: 'status', group: 'run', varying: true },
    { key: 'sweep', group: 'run', varying: false },
    { key: 'createdAt', group: 'run', varying: true },
    { key: 'lr', group: 'setting', varying: true },
    { key: 'horizon', group: 'setting', varying: false },
    { key: 'valLoss', group: 'metric', varying: true },
    { key: 'gradNormMax', group: 'metric', varying: true },
    { key: 'tags', group: 'run', varying: true },
    { key: 'note', group: 'run', varying: false },
  ],
  rows: [
    [3, 'completed', null, '2026-01-03', 0.01, 24, null],
    [2, 'diverged', null, '2026-01-02', 0.1, 24, 9.5],
    [1, 'completed', null, '2026-01-01', 0.001, 24, 0.25],
  ].map((row, i) => [...row, 1, ['baseline clip-study', null, 'clip-study'][i]!, null]),
}

describe('the run table view', () => {
  it('shows the run, the settings that vary and the headline metrics by default; everything on request', () => {
    // tags show because some run has them; the note does not, as no run has one
    expect(visibleColumns(TABLE, false).map((i) => TABLE.columns[i]!.key)).toEqual(['id', 'status', 'lr', 'valLoss', 'tags'])
    expect(visibleColumns(TABLE, true)).toHaveLength(TABLE.columns.length)
  })

  it('finds rows by any word, and by key=value exactly', () => {
    expect(matchingRows(TABLE, 'diverged').map((r) => r[0])).toEqual([2])
    expect(matchingRows(TABLE, 'COMPLETED 0.0').map((r) => r[0])).toEqual([3, 1])
    expect(matchingRows(TABLE, 'lr=0.01').map((r) => r[0])).toEqual([3])
    expect(matchingRows(TABLE, '  ').map((r) => r[0])).toEqual([3, 2, 1])
  })

  it('finds runs by one of their tags with tag=…, and by a word of any tag', () => {
    expect(matchingRows(TABLE, 'tag=clip-study').map((r) => r[0])).toEqual([3, 1])
    expect(matchingRows(TABLE, 'tag=baseline').map((r) => r[0])).toEqual([3])
    // a tag is matched whole, not as a part of another
    expect(matchingRows(TABLE, 'tag=clip').map((r) => r[0])).toEqual([])
    expect(matchingRows(TABLE, 'baseline').map((r) => r[0])).toEqual([3])
  })

  it('sorts numbers by value and text naturally, empty cells last both ways', () => {
    expect(sortRows(TABLE.rows, 6, 'asc').map((r) => r[0])).toEqual([1, 2, 3])
    expect(sortRows(TABLE.rows, 6, 'desc').map((r) => r[0])).toEqual([2, 1, 3])
    expect(sortRows(TABLE.rows, 4, 'asc').map((r) => r[0])).toEqual([1, 3, 2])
    expect(sortRows(TABLE.rows, 1, 'desc').map((r) => r[0])).toEqual([2, 3, 1])
  })
})
