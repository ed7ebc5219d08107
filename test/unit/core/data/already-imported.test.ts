import { appendFileSync, utimesSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { alreadyImported } from '../../../../src/core/data/already-imported'
import { importCsv } from '../../../../src/core/data/import'
import { csvFile, hourly, tempWorkspace } from './helpers'

describe('alreadyImported', () => {
  it('finds the dataset of the same bytes, and hashes the file again once it is written to', async () => {
    const db = tempWorkspace()
    const path = csvFile(hourly(50))
    expect(await alreadyImported(db, { path })).toBeUndefined()
    const dataset = await importCsv(db, { path })
    expect(await alreadyImported(db, { path })).toEqual({ id: dataset.id, name: dataset.name })
    // a row more: another size
    appendFileSync(path, `${new Date(Date.UTC(2024, 0, 1, 50)).toISOString()},1,2\n`)
    expect(await alreadyImported(db, { path })).toBeUndefined()
    // the same size, other bytes, another modification time
    writeFileSync(path, hourly(50).replace(',0,0', ',9,0'))
    utimesSync(path, new Date(2030, 0, 1), new Date(2030, 0, 1))
    expect(await alreadyImported(db, { path })).toBeUndefined()
    writeFileSync(path, hourly(50))
    expect(await alreadyImported(db, { path })).toEqual({ id: dataset.id, name: dataset.name })
  })

  it('says nothing of a file it cannot read (the preview says why)', async () => {
    expect(await alreadyImported(tempWorkspace(), { path: '/no/such/file.csv' })).toBeUndefined()
  })
})
