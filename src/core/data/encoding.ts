import { isUtf8 } from 'node:buffer'
import type { TextEncoding } from '../../shared/dataset-types'
import { ClipcastError } from '../../shared/errors'

export type { TextEncoding }

export interface EncodingChoice {
  encoding: TextEncoding
  /** Bytes of the byte-order mark at the start of the file (skipped before parsing). */
  bomBytes: number
  /** True when Windows-1252, or UTF-16 without a byte-order mark, was inferred rather than requested (the import warns). */
  detected: boolean
}

/** Bytes that Windows-1252 leaves undefined; WHATWG's decoder maps them to C1 controls instead of failing. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d])

/**
 * Chooses the encoding from the first bytes of a file: a BOM decides (UTF-8, UTF-16 LE/BE);
 * otherwise UTF-8 unless the request says otherwise, the head is clearly UTF-16 by its NULs
 * (utf16ByNuls), or clearly Windows-1252 (invalid as UTF-8, no UTF-8 multi-byte sequence
 * anywhere, no NUL, no byte 1252 leaves undefined).
 * Anything else is CSV_ENCODING with the place of the first bad byte.
 */
export function chooseEncoding(head: Uint8Array, requested?: TextEncoding, fileName = 'the file'): EncodingChoice {
  const bom = bomOf(head)
  if (requested !== undefined) {
    const bomBytes = bom !== undefined && bom.encoding === requested ? bom.bomBytes : 0
    return { encoding: requested, bomBytes, detected: false }
  }
  if (bom !== undefined) return { ...bom, detected: false }
  const utf16 = head.includes(0) ? utf16ByNuls(head) : undefined
  if (utf16 !== undefined) return { encoding: utf16, bomBytes: 0, detected: true }
  const body = head.subarray(0, completeUtf8Prefix(head))
  if (isUtf8(body)) {
    if (head.includes(0)) {
      throw new ClipcastError('CSV_ENCODING', `${fileName} contains NUL bytes; it looks like UTF-16 without a byte-order mark.`, {
        hint: 'Save it as UTF-8, or import it with utf-16le (or utf-16be) as {encoding}.',
        details: { settings: ['encoding'] },
      })
    }
    return { encoding: 'utf-8', bomBytes: 0, detected: false }
  }
  if (looksLikeCp1252(head)) return { encoding: 'windows-1252', bomBytes: 0, detected: true }
  const offset = firstInvalidOffset(body, 'utf-8')
  throw encodingError(fileName, 'utf-8', offset, lineOfOffset(head, offset, 'utf-8'))
}

function bomOf(head: Uint8Array): { encoding: TextEncoding; bomBytes: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3 }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 }
  return undefined
}

/**
 * UTF-16 without a byte-order mark, told by where its NULs fall: a CSV is mostly digits,
 * separators and Latin letters, whose high byte is 0, so at least half of the code units have a
 * NUL on one side (odd offsets: little-endian) and almost none on the other; a binary file or
 * UTF-8 with stray NULs has no such pattern and stays an error.
 */
function utf16ByNuls(head: Uint8Array): TextEncoding | undefined {
  const units = Math.floor(Math.min(head.length, 1 << 14) / 2)
  let evenNuls = 0
  let oddNuls = 0
  for (let u = 0; u < units; u++) {
    if (head[2 * u] === 0) evenNuls++
    if (head[2 * u + 1] === 0) oddNuls++
  }
  const clear = (side: number, other: number) => side >= units / 2 && other <= units / 100
  return clear(oddNuls, evenNuls) ? 'utf-16le' : clear(evenNuls, oddNuls) ? 'utf-16be' : undefined
}

function looksLikeCp1252(bytes: Uint8Array): boolean {
  let high = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === 0 || CP1252_UNDEFINED.has(b)) return false
    if (b < 0x80) continue
    high++
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0
    if (need > 0 && i + need < bytes.length) {
      let continuation = true
      for (let k = 1; k <= need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) continuation = false
      // a well-formed UTF-8 sequence next to invalid bytes means damaged UTF-8, not another encoding
      if (continuation) return false
    }
  }
  return high > 0
}

/** Length of the prefix that ends on a character boundary (a split multi-byte sequence waits for the next chunk). */
export function completeUtf8Prefix(bytes: Uint8Array): number {
  const n = bytes.length
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!
    if ((b & 0xc0) === 0x80) continue
    if (b < 0x80) return n
    const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return size > back ? n - back : n
  }
  return n
}

/** Offset of the first byte the strict decoder rejects (bisection with a fresh decoder). */
export function firstInvalidOffset(bytes: Uint8Array, encoding: TextEncoding): number {
  let lo = 0
  let hi = bytes.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    let ok = true
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true })
      if (encoding === 'windows-1252' && bytes.subarray(0, mid + 1).some((b) => CP1252_UNDEFINED.has(b))) ok = false
    } catch {
      ok = false
    }
    if (ok) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Thrown by StrictDecoder at the first undecodable byte; the reader turns it into CSV_ENCODING with the line. */
export class InvalidBytesError extends Error {
  constructor(readonly byteOffset: number) {
    super(`invalid bytes at offset ${byteOffset}`)
  }
}

/** 1-based line of a byte offset: counts line feeds before it (as UTF-16 code units for UTF-16). */
export function lineOfOffset(bytes: Uint8Array, offset: number, encoding: TextEncoding): number {
  let line = 1
  const end = Math.min(offset, bytes.length)
  if (encoding === 'utf-16le' || encoding === 'utf-16be') {
    const low = encoding === 'utf-16le' ? 0 : 1
    for (let i = 0; i + 1 < end; i += 2) if (bytes[i + low] === 0x0a && bytes[i + 1 - low] === 0) line++
  } else {
    for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++
  }
  return line
}

export function encodingError(fileName: string, encoding: TextEncoding, byteOffset: number, line: number): ClipcastError {
  return new ClipcastError('CSV_ENCODING', `${fileName} has bytes that are not valid ${encoding} at line ${line} (byte ${byteOffset}).`, {
    hint:
      encoding === 'windows-1252'
        ? 'Save the file as UTF-8 and import it again.'
        : 'Save the file as UTF-8 and import it again, or import it with windows-1252 as {encoding} if it was written by an older Windows program.',
    details: { line, byteOffset, encoding, settings: ['encoding'] },
  })
}

/**
 * Strict streaming decoder. UTF-8 is only validated (the bytes go on to the CSV parser as they
 * are, which saves a decode and re-encode); the other encodings are decoded to text.
 * `push` returns what to hand to the parser, or throws InvalidBytesError with the file offset.
 */
export class StrictDecoder {
  private readonly decoder: InstanceType<typeof TextDecoder> | undefined
  private carry: Uint8Array = new Uint8Array(0)
  private consumed = 0

  /** `startOffset`: file bytes skipped before the first push (the BOM), so offsets are file offsets. */
  constructor(
    readonly encoding: TextEncoding,
    startOffset = 0,
  ) {
    this.consumed = startOffset
    this.decoder = encoding === 'utf-8' ? undefined : new TextDecoder(encoding, { fatal: true })
  }

  push(chunk: Buffer): Buffer | string {
    const start = this.consumed
    this.consumed += chunk.length
    if (this.decoder === undefined) {
      const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk
      const whole = completeUtf8Prefix(bytes)
      const body = bytes.subarray(0, whole)
      if (!isUtf8(body)) this.onInvalid(start - this.carry.length + firstInvalidOffset(body, 'utf-8'))
      this.carry = bytes.subarray(whole)
      return body
    }
    if (this.encoding === 'windows-1252') {
      const bad = chunk.findIndex((b) => CP1252_UNDEFINED.has(b))
      if (bad >= 0) this.onInvalid(start + bad)
    }
    try {
      return this.decoder.decode(chunk, { stream: true })
    } catch {
      return this.onInvalid(start + firstInvalidOffset(chunk, this.encoding))
    }
  }

  private onInvalid(byteOffset: number): never {
    throw new InvalidBytesError(byteOffset)
  }

  end(): Buffer | string {
    if (this.decoder === undefined) {
      if (this.carry.length > 0) this.onInvalid(this.consumed - this.carry.length)
      return Buffer.alloc(0)
    }
    try {
      return this.decoder.decode()
    } catch {
      return this.onInvalid(this.consumed - 1)
    }
  }
}
