import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ClipcastError } from '../shared/errors'

/**
 * A host's temporary folder of uploaded CSVs. One folder per upload keeps the original file
 * name, which the import records as the source.
 */
export function storeUpload(uploadDir: string, name: string, bytes: Uint8Array): string {
  const folder = join(uploadDir, randomUUID())
  mkdirSync(folder, { recursive: true })
  const path = join(folder, name)
  try {
    writeFileSync(path, bytes)
  } catch (error) {
    throw new ClipcastError('FILE_READ', `Could not store the uploaded file ${name}: ${(error as Error).message}.`, {
      hint: 'Check the free space of the temporary folder and try again.',
      cause: error,
    })
  }
  return path
}

/** Removes a host's temporary upload folder on shutdown. */
export function removeFolder(path: string): void {
  rmSync(path, { recursive: true, force: true })
}
