import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { chooseServeToken } from '../../../src/cli/serve-token'

describe('chooseServeToken', () => {
  const quiet = () => {}

  it('reads the first line of --token-file before CLIPCAST_TOKEN', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clipcast-token-')), 'token')
    writeFileSync(file, 'file-token-123456\nignored\n')
    expect(chooseServeToken({ tokenFile: file }, { CLIPCAST_TOKEN: 'env-token-123456' }, quiet)).toBe('file-token-123456')
    expect(chooseServeToken({}, { CLIPCAST_TOKEN: 'env-token-123456' }, quiet)).toBe('env-token-123456')
  })

  it('warns about a token on the command line, and refuses short or unreadable ones', () => {
    const warnings: string[] = []
    expect(chooseServeToken({ token: 'cli-token-123456' }, {}, (m) => warnings.push(m))).toBe('cli-token-123456')
    expect(warnings).toHaveLength(1)
    expect(() => chooseServeToken({}, { CLIPCAST_TOKEN: 'short' }, quiet)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
    expect(() => chooseServeToken({ tokenFile: '/nonexistent/token' }, {}, quiet)).toThrow(expect.objectContaining({ code: 'FILE_READ' }))
  })

  it('makes up a long random token otherwise', () => {
    const a = chooseServeToken({}, {}, quiet)
    expect(a).toMatch(/^[\w-]{32}$/)
    expect(chooseServeToken({}, {}, quiet)).not.toBe(a)
  })
})
