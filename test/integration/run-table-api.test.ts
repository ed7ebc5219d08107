import { parse } from 'csv-parse/sync'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { callApi } from '../../src/core/api-call'
import { createApiHandlers } from '../../src/core/api-handlers'
import { PathGrants } from '../../src/core/path-grants'
import { createRun, finishRun, insertEpoch } from '../../src/core/store/runs'
import { openWorkspace } from '../../src/core/store/workspace'
import { RunConfigSchema } from '../../src/shared/run-config'
import { insertDataset, sineSeries } from '../helpers/datasets'

function handlersWithRuns(downloadPath: string) {
  const dir = mkdtempSync(join(tmpdir(), 'clipcast-table-api-'))
  const db = openWorkspace(join(dir, 'w.db'))
  const datasetId = insertDataset(db, sineSeries(40))
  for (const lr of [0.001, 0.01]) {
    const id = createRun(db, RunConfigSchema.parse({ datasetId, lr }), 'x', { pid: process.pid, token: 't' })
    insertEpoch(db, id, { epoch: 1, trainLoss: lr * 10, valLoss: lr * 20, gradNorm: { mean: 1, p50: 1, p95: 2, max: 3 }, clippedFraction: 0, lr, clipThreshold: 1, seconds: 1 })
    finishRun(db, id, 'completed')
  }
  const api = createApiHandlers({
    db, workspacePath: join(dir, 'w.db'), host: 'browser', version: 'test', emit: () => {}, grants: new PathGrants(true), uploadDir: join(dir, 'up'),
    downloads: { allocate: () => ({ path: downloadPath, url: '/api/download/runs' }) },
  })
  return { api, db }
}

describe('the run table through the Api', () => {
  it('answers the table and writes its CSV to an issued download slot only', async () => {
    const slot = join(mkdtempSync(join(tmpdir(), 'clipcast-slot-')), 'runs.csv')
    const { api, db } = handlersWithRuns(slot)
    try {
      const table = await api.getRunTable({ summary: 'last' })
      expect(table.rows.map((row) => row[0])).toEqual([2, 1])
      expect(table.columns.find((c) => c.key === 'lr')).toMatchObject({ group: 'setting', varying: true })
      expect(table.columns.find((c) => c.key === 'horizon')).toMatchObject({ varying: false })
      const target = await api.chooseRunTableFile()
      expect(target).toMatchObject({ name: 'clipcast-runs.csv', downloadUrl: '/api/download/runs' })
      expect(await api.exportRunTable({ summary: 'best', path: target!.path })).toEqual({ path: target!.path, rows: 2 })
      const [header, ...rows] = parse(readFileSync(slot, 'utf8')) as string[][]
      expect(rows.map((row) => Number(row[header!.indexOf('valLoss')]))).toEqual([0.2, 0.02])
      const refused = await callApi(api, 'exportRunTable', [{ summary: 'best', path: slot }])
      expect(refused.ok ? null : refused.error.code).toBe('PATH_NOT_ALLOWED')
      const bad = await callApi(api, 'getRunTable', [{ summary: 'median' }])
      expect(bad.ok ? null : bad.error.code).toBe('BAD_REQUEST')
    } finally {
      db.close()
    }
  })
})
