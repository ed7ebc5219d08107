import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli'
import { sineSeries, tempDbPath } from '../helpers/datasets'

const FLAGS = ['--horizon', '2', '--lookback', '6', '--filters', '2', '--batch', '16', '--backend', 'cpu', '--patience', '0']

function csvFile(rows: number): { db: string; csv: string } {
  const db = tempDbPath('clipcast-cli-')
  const series = sineSeries(rows, 2)
  const lines = ['time,v0,v1', ...Array.from(series.times, (t, i) => `${new Date(t).toISOString()},${series.columns.v0![i]},${series.columns.v1![i]}`)]
  const csv = join(dirname(db), 'series.csv')
  writeFileSync(csv, lines.join('\n') + '\n')
  return { db, csv }
}

describe('clipcast train / runs / show / resume', () => {
  it('reports data warnings as NDJSON events (a constant column is centred, not divided)', () => {
    const db = tempDbPath('clipcast-cli-')
    const series = sineSeries(200, 1)
    const lines = ['time,v0,flat', ...Array.from(series.times, (t, i) => `${new Date(t).toISOString()},${series.columns.v0![i]},5`)]
    const csv = join(dirname(db), 'flat.csv')
    writeFileSync(csv, lines.join('\n') + '\n')
    const train = runCli(['train', csv, '--epochs', '1', '--db', db, '--json', ...FLAGS])
    expect(train.code, train.stderr).toBe(0)
    const warnings = train.json.filter((l) => l.event === 'warning')
    expect(warnings).toContainEqual(expect.objectContaining({ event: 'warning', code: 'COLUMN_CONSTANT' }))
    expect(train.json.at(-1)).toMatchObject({ event: 'done', run: { status: 'completed' } })
  })

  it('imports a CSV, trains, and prints the NDJSON contract', () => {
    const { db, csv } = csvFile(240)
    const train = runCli(['train', csv, '--epochs', '2', '--db', db, '--json', ...FLAGS])
    expect(train.code, train.stderr).toBe(0)
    const epochs = train.json.filter((l) => l.event === 'epoch')
    expect(epochs).toHaveLength(2)
    for (const line of epochs) {
      expect(Object.keys(line).sort()).toEqual(['clipThreshold', 'clippedFraction', 'epoch', 'event', 'gradNorm', 'lr', 'seconds', 'trainLoss', 'valLoss'].sort())
      expect(Object.keys(line.gradNorm as object).sort()).toEqual(['max', 'mean', 'p50', 'p95'])
    }
    const done = train.json.at(-1)!
    expect(done.event).toBe('done')
    expect(Object.keys(done.run as object).sort()).toEqual(['backend', 'baselines', 'bestEpoch', 'config', 'epochs', 'id', 'metrics', 'status'].sort())
    expect(done.run).toMatchObject({ status: 'completed', backend: 'cpu', epochs: 2, config: { clip: 'norm', horizon: 2 } })
    const runId = (done.run as { id: number }).id

    // the same dataset by id: a second run, listed first
    const datasetId = ((done.run as { config: { datasetId: number } }).config).datasetId
    const second = runCli(['train', String(datasetId), '--epochs', '1', '--clip', 'value', '--clip-threshold', '0.5', '--db', db, '--json', ...FLAGS])
    expect(second.code, second.stderr).toBe(0)
    const runs = runCli(['runs', '--db', db, '--json'])
    const listed = (runs.json[0]!.runs as Array<{ id: number; status: string }>)
    expect(listed.map((r) => r.id)).toEqual([runId + 1, runId])

    const show = runCli(['show', String(runId), '--db', db, '--json'])
    const run = show.json[0]!.run as { epochRecords: unknown[]; checkpoints: Array<{ kind: string }>; config: { epochs: number } }
    expect(run.epochRecords).toHaveLength(2)
    expect(run.checkpoints.map((c) => c.kind).sort()).toEqual(['best', 'last'])
    const text = runCli(['show', String(runId), '--db', db])
    expect(text.stdout).toContain('checkpoints')

    const deleted = runCli(['runs', 'delete', String(runId + 1), '--db', db, '--json'])
    expect(deleted.json[0]).toEqual({ deleted: runId + 1 })

    const resume = runCli(['resume', String(runId), '--db', db, '--json'])
    expect(resume.code).toBe(2)
    expect(JSON.parse(resume.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'RUN_NOT_RESUMABLE' } })
  })

  it('prints epochs and the outcome in terminal mode, and fails with a code on bad input', () => {
    const { db, csv } = csvFile(240)
    const train = runCli(['train', csv, '--epochs', '1', '--db', db, ...FLAGS])
    expect(train.code, train.stderr).toBe(0)
    expect(train.stdout).toMatch(/epoch 1 .*train/)
    expect(train.stdout).toMatch(/completed/)
    const bad = runCli(['train', '1', '--lookback', '200', '--horizon', '100', '--db', db, '--json', ...FLAGS.slice(4)])
    expect(bad.code).toBe(2)
    expect(JSON.parse(bad.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'DATASET_TOO_SHORT' } })
    const flag = runCli(['train', '1', '--lr', 'fast', '--db', db, '--json'])
    expect(JSON.parse(flag.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'INVALID_CONFIG' } })
  })

  it('prints the events of a run that diverges, then its done line, and the error as one JSON object on stderr', () => {
    const { db, csv } = csvFile(240)
    const train = runCli(['train', csv, '--epochs', '2', '--optimizer', 'sgd', '--lr', '1000', '--clip', 'none', '--db', db, '--json', ...FLAGS])
    expect(train.code).toBe(2)
    const lines = train.stdout.trim().split('\n')
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual(train.json)
    expect(train.json.at(-1)).toMatchObject({ event: 'done', run: { status: 'diverged', metrics: null, baselines: null } })
    const stderr = train.stderr.trim().split('\n')
    expect(stderr).toHaveLength(1)
    const error = JSON.parse(stderr[0]!) as { error: Record<string, unknown> }
    expect(Object.keys(error.error).sort()).toEqual(['code', 'hint', 'message'])
    expect(error.error.code).toBe('RUN_DIVERGED')
  })

  it('answers a usage error of a subcommand with exit code 2 and only the JSON error on stderr', () => {
    for (const args of [['runs', '--bogus'], ['runs', 'delete'], ['show']]) {
      const result = runCli([...args, '--json'])
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([{ error: { code: 'BAD_REQUEST', message: expect.any(String), hint: expect.any(String) } }])
    }
    expect(runCli(['runs', '--bogus']).code).toBe(2)
  })
})
