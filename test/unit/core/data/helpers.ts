import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importCsv, type ImportOptions } from '../../../../src/core/data/import'
import { openWorkspace, type Db } from '../../../../src/core/store/workspace'
import type { DatasetSummary, ImportRequest } from '../../../../src/shared/api'

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'clipcast-import-'))
}

/** Writes `content` to a temp CSV file and returns its path. */
export function csvFile(content: string | Uint8Array, name = 'data.csv'): string {
  const path = join(tempDir(), name)
  writeFileSync(path, content)
  return path
}

export function tempWorkspace(): Db {
  return openWorkspace(join(tempDir(), 'ws.db'))
}

/** Imports CSV text into a fresh workspace. */
export async function importText(content: string | Uint8Array, request: Omit<ImportRequest, 'path'> = {}, options: ImportOptions = {}, db = tempWorkspace()): Promise<DatasetSummary> {
  return importCsv(db, { path: csvFile(content), ...request }, options)
}

/** The promise's rejection code (tests assert codes, not wording). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return String((error as { code?: unknown }).code)
  }
  return 'resolved'
}

export function warningCodes(dataset: DatasetSummary): string[] {
  return dataset.warnings.map((w) => w.code)
}

/** Hourly rows from 2024-01-01T00:00Z: time,a,b. */
export function hourly(rows: number, value = (i: number) => `${i},${i * 2}`): string {
  const lines = ['time,a,b']
  for (let i = 0; i < rows; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1, i)).toISOString()},${value(i)}`)
  return lines.join('\n') + '\n'
}
