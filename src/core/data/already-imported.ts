import { basename } from 'node:path'
import type { ImportRequest } from '../../shared/api'
import { sampleDatasetPath } from '../paths'
import { findDatasetBySha256 } from '../store/datasets'
import type { Db } from '../store/workspace'
import { fileSha256, fileVersion } from './csv-read'

// each dropdown change previews the same file again: its hash is kept while its size and
// modification time stay, for the few files a dialog goes through
const known = new Map<string, { version: string; sha256: string }>()
const KEPT = 8

async function sha256Of(path: string, signal: AbortSignal | undefined): Promise<string> {
  const version = await fileVersion(path)
  const hit = known.get(path)
  if (hit?.version === version) return hit.sha256
  const sha256 = await fileSha256(path, { fileName: basename(path), signal })
  known.delete(path)
  known.set(path, { version, sha256 })
  if (known.size > KEPT) known.delete(known.keys().next().value!)
  return sha256
}

/**
 * The dataset the request's file was imported as before, found as importCsv finds it (by the
 * SHA-256 of its bytes, src/core/data/import.ts), so the preview can say that importing
 * returns it instead of reading the file with the settings shown. Undefined as well when the
 * file cannot be read: the preview says why.
 */
export async function alreadyImported(db: Db, request: ImportRequest, options: { signal?: AbortSignal } = {}): Promise<{ id: number; name: string } | undefined> {
  const path = request.sample === true ? sampleDatasetPath() : request.path
  if (path === undefined) return undefined
  const sha256 = await sha256Of(path, options.signal).catch(() => undefined)
  const found = sha256 === undefined ? undefined : findDatasetBySha256(db, sha256)
  return found === undefined ? undefined : { id: found.id, name: found.name }
}
