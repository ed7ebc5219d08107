import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openWorkspace } from '../../../../src/core/store/workspace'
import { insertForecast, latestForecast, listForecasts } from '../../../../src/core/store/forecasts'

function workspaceWithRun() {
  const db = openWorkspace(join(mkdtempSync(join(tmpdir(), 'clipcast-fc-')), 'ws.db'))
  db.prepare(`INSERT INTO datasets (id, name, source_name, source_sha256, imported_at, row_count, time_column, frequency, start_time, end_time, columns_json) VALUES (1, 'd', 'd.csv', 'h', 'now', 0, 't', 'daily', 'a', 'b', '[]')`).run()
  db.prepare(`INSERT INTO runs (id, dataset_id, config_json, status, seed, data_sha256, created_at) VALUES (7, 1, '{}', 'completed', 1, 'x', 'now')`).run()
  return db
}

describe('forecasts store', () => {
  it('stores a forecast and reads back exactly the same numbers, newest first', () => {
    const db = workspaceWithRun()
    const values = { temp: [0.1 + 0.2, -1e-300, 12345.678901234567] }
    insertForecast(db, { runId: 7, origin: '2024-01-01T00:00:00.000Z', horizon: 3, time: ['a', 'b', 'c'], values: { temp: [1, 2, 3] } })
    const second = insertForecast(db, { runId: 7, origin: '2024-01-02T00:00:00.000Z', horizon: 3, time: ['d', 'e', 'f'], values })
    expect(latestForecast(db, 7)).toEqual(second)
    expect(latestForecast(db, 7).values.temp).toEqual(values.temp)
    expect(listForecasts(db, 7).map((f) => f.origin)).toEqual(['2024-01-02T00:00:00.000Z', '2024-01-01T00:00:00.000Z'])
    db.close()
  })

  it('says NOT_EVALUATED when a run has no forecast, and deletes forecasts with their run', () => {
    const db = workspaceWithRun()
    expect(() => latestForecast(db, 7)).toThrow(expect.objectContaining({ code: 'NOT_EVALUATED' }))
    insertForecast(db, { runId: 7, origin: 'o', horizon: 1, time: ['t'], values: { y: [1] } })
    db.prepare('DELETE FROM runs WHERE id = 7').run()
    expect(listForecasts(db, 7)).toEqual([])
    db.close()
  })
})
