import { basename } from 'node:path'
import type { ImportRequest } from '../../shared/api'
import { sampleDatasetPath } from '../paths'
import { findDatasetBySha256 } from '../store/datasets'
import type { Db } from '../store/workspace'
import { fileSha256 } from './csv-read'

/**
 * The dataset the request's file was imported as before, found as importCsv finds it (by the
 * SHA-256 of its bytes, src/core/data/import.ts), so the preview can say that importing
 * returns it instead of reading the file with the settings shown.
 */
export async function alreadyImported(db: Db, request: ImportRequest, options: { signal?: AbortSignal } = {}): Promise<{ id: number; name: string } | undefined> {
  const path = request.sample === true ? sampleDatasetPath() : request.path
  if (path === undefined) return undefined
  const found = findDatasetBySha256(db, await fileSha256(path, { fileName: basename(path), signal: options.signal }))
  return found === undefined ? undefined : { id: found.id, name: found.name }
}
