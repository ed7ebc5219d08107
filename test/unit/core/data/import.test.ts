import { appendFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { importCsv } from '../../../../src/core/data/import'
import { readColumn, readTimes } from '../../../../src/core/store/datasets'
import type { Db } from '../../../../src/core/store/workspace'
import { planTrainingData } from '../../../../src/core/data/training-data'
import { RunConfigSchema } from '../../../../src/shared/run-config'
import { codeOf, csvFile, hourly, importText, tempWorkspace, warningCodes } from './helpers'

const counts = (db: Db) => ({
  datasets: (db.prepare('SELECT count(*) AS n FROM datasets').get() as { n: number }).n,
  chunks: (db.prepare('SELECT count(*) AS n FROM dataset_chunks').get() as { n: number }).n,
})

describe('importCsv: the file as a whole', () => {
  it('refuses an empty file, a blank file and a header without rows (reliability 21)', async () => {
    expect(await codeOf(importText(''))).toBe('CSV_EMPTY')
    expect(await codeOf(importText('\n\n  \n'))).toBe('CSV_EMPTY')
    expect(await codeOf(importText('time,a,b\n'))).toBe('CSV_HEADER_ONLY')
    expect(await codeOf(importText('time,a,b\n\n\n'))).toBe('CSV_HEADER_ONLY')
  })

  it('skips blank lines between rows', async () => {
    const dataset = await importText('time,a\n\n2024-01-01,1\n\n\n2024-01-02,2\n   \n')
    expect(dataset.rows).toBe(2)
  })

  it('names the ragged rows and never shifts columns (reliability 16)', async () => {
    const error = await importText('time,a,b\n2024-01-01,1,2\n2024-01-02,1\n2024-01-03,1,2,3\n2024-01-04,1,2\n').catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'CSV_RAGGED_ROW', details: { lines: [3, 4], expectedFields: 3 } })
  })

  it('says when the file is missing', async () => {
    expect(await codeOf(importCsv(tempWorkspace(), { path: '/no/such/file.csv' }))).toBe('FILE_NOT_FOUND')
  })

  it('reports an unclosed quote and a record over the size cap (reliability 15)', async () => {
    expect(await codeOf(importText('time,a\n2024-01-01,"1\n2024-01-02,2\n'))).toBe('CSV_UNCLOSED_QUOTE')
    expect(await codeOf(importText('time,a\n2024-01-01,"' + 'x'.repeat(5000) + '\n2024-01-02,2\n', {}, { maxRecordChars: 1000 }))).toBe('CSV_RECORD_TOO_LARGE')
  })

  it('imports ; with decimal commas and a sep= line, with a warning about the commas (reliability 18)', async () => {
    const db = tempWorkspace()
    const dataset = await importText('sep=;\ntime;a\n2024-01-01;1.234,5\n2024-01-02;-0,25\n', {}, {}, db)
    expect(Array.from(readColumn(db, dataset.id, 'a'))).toEqual([1234.5, -0.25])
    expect(warningCodes(dataset)).toContain('DECIMAL_COMMA')
  })

  it('asks for --delimiter or --decimal when they are ambiguous', async () => {
    expect(await codeOf(importText('time,a;b\n2024-01-01,1;2\n'))).toBe('CSV_AMBIGUOUS_DELIMITER')
    expect(await codeOf(importText('time;a;b\n2024-01-01;1,5;2.5\n'))).toBe('CSV_AMBIGUOUS_DECIMAL')
  })

  it('renames duplicate and dangerous headers with warnings (reliability 20)', async () => {
    const db = tempWorkspace()
    const dataset = await importText('time,a,a,__proto__,constructor\n2024-01-01,1,2,3,4\n', {}, {}, db)
    expect(dataset.columns.map((c) => c.name)).toEqual(['a', 'a_2', '__proto___column', 'constructor_column'])
    expect(warningCodes(dataset)).toEqual(expect.arrayContaining(['CSV_DUPLICATE_HEADER', 'CSV_BAD_HEADER']))
    expect(Array.from(readColumn(db, dataset.id, 'a_2'))).toEqual([2])
    expect(({} as Record<string, unknown>).a).toBeUndefined()
  })

  it('writes nothing when the import fails or is cancelled', async () => {
    const db = tempWorkspace()
    expect(await codeOf(importText(hourly(50) + '2024-02-01T00:00:00Z,1,oops\n2024-02-01T01:00:00Z,1,2\n', {}, {}, db))).toBe('CSV_BAD_NUMBER')
    const controller = new AbortController()
    controller.abort()
    expect(await codeOf(importText(hourly(50), {}, { signal: controller.signal }, db))).toBe('IMPORT_CANCELLED')
    expect(counts(db)).toEqual({ datasets: 0, chunks: 0 })
  })

  it('stops a large import cancelled midway and writes nothing (reliability 22)', async () => {
    const db = tempWorkspace()
    const controller = new AbortController()
    let calls = 0
    const onProgress = () => {
      if (++calls === 1) controller.abort()
    }
    // ~1.6 MB: more than one read chunk, so the cancel lands between chunks
    expect(await codeOf(importText(hourly(40_000), {}, { signal: controller.signal, onProgress }, db))).toBe('IMPORT_CANCELLED')
    expect(calls).toBe(1)
    expect(counts(db)).toEqual({ datasets: 0, chunks: 0 })
  })

  it('rolls the whole dataset back when a chunk write fails halfway', async () => {
    const db = tempWorkspace()
    // a real SQLITE_FULL: room for the first column's 320 kB, not for the second's
    db.pragma(`max_page_count = ${(db.pragma('page_count', { simple: true }) as number) + 100}`)
    expect(await codeOf(importText(hourly(40_000), {}, {}, db))).toBe('WORKSPACE_WRITE')
    expect(counts(db)).toEqual({ datasets: 0, chunks: 0 })
  })

  it('returns the existing dataset with ALREADY_IMPORTED for the same bytes', async () => {
    const db = tempWorkspace()
    const path = csvFile(hourly(5))
    const first = await importCsv(db, { path })
    const again = await importCsv(db, { path, name: 'other' })
    expect(again.id).toBe(first.id)
    expect(warningCodes(again)).toContain('ALREADY_IMPORTED')
    expect(counts(db).datasets).toBe(1)
  })

  it('finds the same bytes by their hash and returns the dataset without reading them as a table again', async () => {
    const db = tempWorkspace()
    const path = csvFile(hourly(3000))
    const firstProgress: number[] = []
    const first = await importCsv(db, { path }, { onProgress: ({ fraction }) => firstProgress.push(fraction) })
    const againProgress: number[] = []
    const again = await importCsv(db, { path }, { onProgress: ({ fraction }) => againProgress.push(fraction) })
    expect(firstProgress.at(-1)).toBe(1)
    // the table read reports progress for every chunk; the duplicate is returned before any
    expect(againProgress).toEqual([])
    expect(again).toMatchObject({ id: first.id, rows: 3000, sha256: first.sha256 })
    expect(warningCodes(again)).toEqual([...warningCodes(first), 'ALREADY_IMPORTED'])
    const changed = await importCsv(db, { path: csvFile(hourly(3000).replace(/\n$/, '\n\n')) })
    expect(changed.id).not.toBe(first.id)
    expect(counts(db).datasets).toBe(2)
  })

  it('stores nothing when the file is written to between its hash and its table', async () => {
    const db = tempWorkspace()
    const path = csvFile(hourly(3000))
    let appended = false
    const append = () => {
      if (!appended) appendFileSync(path, `${new Date(Date.UTC(2024, 0, 1, 3000)).toISOString()},1,2\n`)
      appended = true
    }
    await expect(importCsv(db, { path }, { onProgress: append })).rejects.toMatchObject({ code: 'FILE_READ' })
    expect(counts(db)).toEqual({ datasets: 0, chunks: 0 })
    // read whole once the writer is done
    expect((await importCsv(db, { path })).rows).toBe(3001)
  })

  it('reports progress by bytes up to the whole file (reliability 22)', async () => {
    const fractions: number[] = []
    await importText(hourly(100), {}, { onProgress: ({ fraction }) => fractions.push(fraction) })
    expect(fractions.at(-1)).toBe(1)
  })
})

describe('importCsv: values', () => {
  it('counts missing cells per column and stores them as NaN', async () => {
    const db = tempWorkspace()
    const dataset = await importText('time,a,b\n2024-01-01,NA,1\n2024-01-02,,#N/A\n2024-01-03,-,NaN\n2024-01-04,3,null\n2024-01-05,n/a,2\n', {}, {}, db)
    expect(dataset.columns.map((c) => [c.name, c.missing])).toEqual([['a', 4], ['b', 3]])
    expect(Array.from(readColumn(db, dataset.id, 'a')).map((v) => (Number.isNaN(v) ? null : v))).toEqual([null, null, null, 3, null])
    expect(dataset.columns[0]!.stats).toEqual({ min: 3, max: 3, mean: 3, std: 0 })
  })

  it('rejects inf and 1e400 with their line and column (reliability 19)', async () => {
    await expect(importText('time,a\n2024-01-01,1\n2024-01-02,inf\n')).rejects.toMatchObject({ code: 'CSV_NON_FINITE', details: { line: 3, column: 'a' } })
    await expect(importText('time,a\n2024-01-01,1e400\n2024-01-02,1\n')).rejects.toMatchObject({ code: 'CSV_NON_FINITE', details: { line: 2, column: 'a' } })
  })

  it('rejects text inside a numeric column with its line and column', async () => {
    await expect(importText('time,a\n2024-01-01,1\n2024-01-02,2\n2024-01-03,twelve\n')).rejects.toMatchObject({ code: 'CSV_BAD_NUMBER', details: { line: 4, column: 'a', value: 'twelve' } })
  })

  it('keeps text columns out of the numeric data and reports them', async () => {
    const db = tempWorkspace()
    const dataset = await importText('time,weather,t\n2024-01-01,sun,1\n2024-01-02,rain,2\n', {}, {}, db)
    expect(dataset.columns).toEqual([
      { name: 'weather', kind: 'text', missing: 0 },
      expect.objectContaining({ name: 't', kind: 'numeric', missing: 0 }),
    ])
    expect(warningCodes(dataset)).toContain('TEXT_COLUMNS')
    expect(Array.from(readColumn(db, dataset.id, 't'))).toEqual([1, 2])
    expect(() => readColumn(db, dataset.id, 'weather')).toThrow(expect.objectContaining({ code: 'UNKNOWN_COLUMN' }))
  })

  it('refuses a file with nothing numeric besides time', async () => {
    expect(await codeOf(importText('time,weather\n2024-01-01,sun\n2024-01-02,rain\n'))).toBe('CSV_NO_NUMERIC_COLUMNS')
  })
})

describe('importCsv: time', () => {
  it('detects the time column, even when it is not first', async () => {
    const dataset = await importText('value,Date\n1,2024-01-01\n2,2024-01-02\n')
    expect(dataset).toMatchObject({ timeColumn: 'Date', frequency: 'daily', start: '2024-01-01T00:00:00.000Z', end: '2024-01-02T00:00:00.000Z' })
  })

  it('says which columns it tried when none parses as time', async () => {
    await expect(importText('a,b\n1,2\n3,4\n')).rejects.toMatchObject({ code: 'CSV_NO_TIME_COLUMN', details: { tried: ['a', 'b'] } })
  })

  it('refuses 03/04/2024 until the day/month order is chosen (reliability 25)', async () => {
    const content = 'date,a\n03/04/2024,1\n04/04/2024,2\n'
    expect(await codeOf(importText(content))).toBe('CSV_AMBIGUOUS_DATE_ORDER')
    expect((await importText(content, { timeFormat: 'DD/MM/YYYY' })).start).toBe('2024-04-03T00:00:00.000Z')
    expect((await importText(content, { timeFormat: 'MM/DD/YYYY' })).start).toBe('2024-03-04T00:00:00.000Z')
  })

  it('reads day-first dates without asking once a day past 12 shows the order, and stops where a later cell does not fit it', async () => {
    const dataset = await importText('Datum;Temperatur\n11.03.2024;3,4\n12.03.2024;4,5\n13.03.2024;6,5\n')
    expect(dataset).toMatchObject({ rows: 3, frequency: 'daily', start: '2024-03-11T00:00:00.000Z', end: '2024-03-13T00:00:00.000Z' })
    // 6,000 days from 2000 (past the 64 KiB the order is detected on), then a month-first date
    const days = Array.from({ length: 6000 }, (_, d) => new Date(Date.UTC(2000, 0, 1 + d)))
    const cells = days.map((t) => `${String(t.getUTCDate()).padStart(2, '0')}/${String(t.getUTCMonth() + 1).padStart(2, '0')}/${t.getUTCFullYear()},1`)
    const late = ['date,a', ...cells, '01/13/2017,1'].join('\n') + '\n'
    expect(late.length).toBeGreaterThan(1 << 16)
    await expect(importText(late)).rejects.toMatchObject({ code: 'CSV_BAD_TIMESTAMP', details: { line: 6002 } })
    // a first number over 12 in one row and a second in another: no one order reads both
    expect(await codeOf(importText('date,a\n13/04/2024,1\n04/13/2024,2\n'))).toBe('CSV_AMBIGUOUS_DATE_ORDER')
  })

  it('takes --time-column and names the columns when it does not exist', async () => {
    const dataset = await importText('a,when\n1,2024-01-01\n2,2024-01-02\n', { timeColumn: 'when' })
    expect(dataset.timeColumn).toBe('when')
    expect(await codeOf(importText('a,when\n1,2024-01-01\n', { timeColumn: 'nope' }))).toBe('UNKNOWN_COLUMN')
  })

  it('stops at a timestamp that does not parse, with its line', async () => {
    await expect(importText('time,a\n2024-01-01,1\n2024-02-30,2\n')).rejects.toMatchObject({ code: 'CSV_BAD_TIMESTAMP', details: { line: 3 } })
    await expect(importText('time,a\n2024-01-01,1\n,2\n')).rejects.toMatchObject({ code: 'CSV_BAD_TIMESTAMP', details: { line: 3 } })
  })

  it('reads epoch seconds and milliseconds by magnitude (reliability 25)', async () => {
    const seconds = await importText('timestamp,a\n1700000000,1\n1700003600,2\n')
    const millis = await importText('timestamp,a\n1700000000000,1\n1700003600000,2\n')
    expect(seconds.start).toBe(new Date(1_700_000_000_000).toISOString())
    expect(millis.start).toBe(seconds.start)
    expect(seconds.frequency).toBe('hourly')
  })

  it('sorts unsorted rows and keeps the first of duplicated timestamps, with warnings (reliability 24)', async () => {
    const db = tempWorkspace()
    const dataset = await importText('time,a\n2024-01-03,3\n2024-01-01,1\n2024-01-02,2\n2024-01-01,99\n', {}, {}, db)
    expect(warningCodes(dataset)).toEqual(expect.arrayContaining(['UNSORTED_TIMESTAMPS', 'DUPLICATE_TIMESTAMPS']))
    expect(dataset.rows).toBe(3)
    expect(Array.from(readColumn(db, dataset.id, 'a'))).toEqual([1, 2, 3])
    expect(Array.from(readTimes(db, dataset.id))).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)])
  })

  it('warns about gaps and irregular steps', async () => {
    const gaps = await importText('time,a\n2024-01-01T00:00,1\n2024-01-01T01:00,1\n2024-01-01T05:00,1\n2024-01-01T06:00,1\n')
    expect(gaps.frequency).toBe('hourly')
    expect(warningCodes(gaps)).toContain('GAPS')
    const irregular = await importText('time,a\n2024-01-01T00:00,1\n2024-01-01T01:00,1\n2024-01-01T01:17,1\n2024-01-01T03:00,1\n2024-01-01T04:00,1\n')
    expect(warningCodes(irregular)).toContain('IRREGULAR_TIMESTAMPS')
  })

  it('recognises monthly data by the calendar', async () => {
    const dataset = await importText('Date,CO2\n1958-03-01,315.7\n1958-04-01,317.46\n1958-05-01,317.51\n1958-07-01,315.86\n')
    expect(dataset.frequency).toBe('monthly')
    expect(warningCodes(dataset)).toContain('GAPS')
  })
})

describe('importCsv: headers named like Object.prototype members', () => {
  it('imports and plans training on toString, hasOwnProperty and valueOf columns like any other (reliability 20)', async () => {
    const db = tempWorkspace()
    const rows = ['time,toString,hasOwnProperty,valueOf', ...Array.from({ length: 60 }, (_, i) => `${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${i},${2 * i},${i % 5}`)]
    const dataset = await importText(rows.join('\n') + '\n', {}, {}, db)
    expect(dataset.columns.map((c) => [c.name, c.kind])).toEqual([
      ['toString', 'numeric'],
      ['hasOwnProperty', 'numeric'],
      ['valueOf', 'numeric'],
    ])
    expect(warningCodes(dataset)).not.toContain('CSV_BAD_HEADER')
    expect(Array.from(readColumn(db, dataset.id, 'hasOwnProperty', { start: 0, end: 3 }))).toEqual([0, 2, 4])
    const data = planTrainingData(db, RunConfigSchema.parse({ datasetId: dataset.id, targets: ['toString'], horizon: 2, lookback: 4 }))
    expect(data.inputs).toEqual(['toString', 'hasOwnProperty', 'valueOf'])
    expect(data.targetColumns).toEqual([0])
    // an unknown column named like a prototype member is still unknown, not a function found on {}
    expect(() => readColumn(db, dataset.id, 'constructor')).toThrow(expect.objectContaining({ code: 'UNKNOWN_COLUMN' }))
    expect(() => planTrainingData(db, RunConfigSchema.parse({ datasetId: dataset.id, targets: ['isPrototypeOf'] }))).toThrow(expect.objectContaining({ code: 'UNKNOWN_TARGET' }))
  })
})

describe('importCsv: rows of empty cells', () => {
  it('counts a row of empty cells (,,) and names its lines instead of dropping it silently (reliability 16)', async () => {
    const dataset = await importText('time,a,b\n2024-01-01,1,2\n,,\n2024-01-02,3,4\n , ,\n\n2024-01-03,5,6\n')
    expect(dataset.rows).toBe(3)
    const warning = dataset.warnings.find((w) => w.code === 'EMPTY_ROWS')
    expect(warning?.message).toMatch(/^2 rows held only empty cells \(lines 3, 5\)/)
  })
})

describe('importCsv: gaps in the timestamps', () => {
  it('fills a gap with explicit missing rows that no training window spans (reliability 24)', async () => {
    const db = tempWorkspace()
    const hours = [...Array.from({ length: 20 }, (_, i) => i), ...Array.from({ length: 20 }, (_, i) => 23 + i)]
    const text = ['time,a', ...hours.map((h) => `${new Date(Date.UTC(2024, 0, 1, h)).toISOString()},${h}`)].join('\n') + '\n'
    const dataset = await importText(text, {}, {}, db)
    expect(dataset.rows).toBe(43)
    expect(dataset.columns[0]).toMatchObject({ name: 'a', missing: 3 })
    expect(warningCodes(dataset)).toContain('GAPS')
    expect(dataset.warnings.find((w) => w.code === 'GAPS_FILLED')?.message).toMatch(/^3 missing rows were added/)
    const values = readColumn(db, dataset.id, 'a')
    expect(Array.from(values.subarray(19, 24))).toEqual([19, NaN, NaN, NaN, 23])
    const times = readTimes(db, dataset.id)
    expect(times[21]! - times[20]!).toBe(3_600_000)
    const data = planTrainingData(db, RunConfigSchema.parse({ datasetId: dataset.id, lookback: 4, horizon: 2, valFraction: 0, testFraction: 0 }))
    for (const start of data.starts) expect(start + 6 <= 20 || start >= 23).toBe(true)
    expect(data.starts.length).toBe(15 + 15)
    expect(data.warnings.map((w) => w.code)).toContain('WINDOWS_GAPS')
  })
})

describe('importCsv: business-day data', () => {
  it('leaves weekends out rather than filling them with missing rows', async () => {
    const days = Array.from({ length: 60 }, (_, i) => Date.UTC(2024, 0, 1) + i * 86_400_000).filter((t) => new Date(t).getUTCDay() % 6 !== 0)
    const dataset = await importText(['date,close', ...days.map((t, i) => `${new Date(t).toISOString().slice(0, 10)},${100 + i}`)].join('\n') + '\n')
    expect(dataset.rows).toBe(days.length)
    expect(dataset.columns[0]!.missing).toBe(0)
  })
})
