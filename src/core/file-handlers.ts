import { statSync } from 'node:fs'
import { basename, isAbsolute } from 'node:path'
import type { Api, IssuedFile } from '../shared/api'
import { assertImportable } from '../shared/api-schemas'
import { ClipcastError } from '../shared/errors'
import type { HandlerContext } from './api-handlers'
import { storeUpload } from './upload-folder'

/** The Api methods that hand the page a file it may name: a dialog's choice, an upload, a dropped file. */
export function fileHandlers(ctx: HandlerContext): Pick<Api, 'chooseImportFile' | 'uploadCsv' | 'openDroppedFile'> {
  return {
    async chooseImportFile(): Promise<IssuedFile | null> {
      if (!ctx.dialogs) throw noDialogs()
      const path = await ctx.dialogs.openCsv()
      if (path === null) return null
      assertImportable(path)
      return { path: ctx.grants.issue(path, 'read'), name: basename(path) }
    },

    async uploadCsv(name, bytes): Promise<IssuedFile> {
      assertImportable(name)
      return { path: ctx.grants.issue(storeUpload(ctx.uploadDir, name, bytes), 'read'), name }
    },

    async openDroppedFile(path): Promise<IssuedFile> {
      if (!ctx.dialogs) throw noDialogs()
      // the page names this path, so only what an import may read is granted: an existing CSV-like file
      assertImportable(path)
      if (!isAbsolute(path) || !isFile(path)) {
        throw new ClipcastError('FILE_READ', `${basename(path)} is not a file that can be read.`, { hint: 'Drop the CSV file itself, not a folder or a shortcut.' })
      }
      return { path: ctx.grants.issue(path, 'read'), name: basename(path) }
    },
  }
}

/** A path the page may write: the desktop's save dialog, or a download slot of the browser host; null when cancelled. */
export async function chooseSaveFile(ctx: HandlerContext, fileName: string): Promise<IssuedFile | null> {
  if (ctx.dialogs) {
    const path = await ctx.dialogs.saveCsv(fileName)
    if (path === null) return null
    return { path: ctx.grants.issue(path, 'write'), name: basename(path) }
  }
  if (ctx.downloads) {
    const slot = ctx.downloads.allocate(fileName)
    return { path: ctx.grants.issue(slot.path, 'write'), name: fileName, downloadUrl: slot.url }
  }
  throw new ClipcastError('BAD_REQUEST', 'This host can neither show a save dialog nor offer a download.', { hint: 'Use clipcast runs --csv FILE from a terminal.' })
}

function noDialogs(): ClipcastError {
  return new ClipcastError('BAD_REQUEST', 'This host has no native file dialogs.', {
    hint: 'In the browser, choose a file with the file picker (it is uploaded), and exports download through the browser.',
  })
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
