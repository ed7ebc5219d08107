import { describe, expect, it } from 'vitest'
import { assertImportable } from '../../../src/shared/api-schemas'
import { PathGrants } from '../../../src/core/path-grants'

describe('PathGrants', () => {
  it('resolves only the handles it issued, with their mode', () => {
    const grants = new PathGrants(true)
    const read = grants.issue('/data/a.csv', 'read')
    const write = grants.issue('/out/b.csv', 'write')
    expect(read).toMatch(/^issued:/)
    expect(grants.resolve(read, 'read')).toBe('/data/a.csv')
    expect(grants.resolve(write, 'write')).toBe('/out/b.csv')
    expect(() => grants.resolve(read, 'write')).toThrow(expect.objectContaining({ code: 'PATH_NOT_ALLOWED' }))
    expect(() => grants.resolve('/data/a.csv', 'read')).toThrow(expect.objectContaining({ code: 'PATH_NOT_ALLOWED' }))
  })

  it('uses the chosen path itself as the handle on the desktop', () => {
    const grants = new PathGrants(false)
    expect(grants.issue('/home/me/x.csv', 'read')).toBe('/home/me/x.csv')
  })

  it('forgets the oldest grants beyond its limit', () => {
    const grants = new PathGrants(true, 2)
    const first = grants.issue('/1.csv', 'read')
    grants.issue('/2.csv', 'read')
    grants.issue('/3.csv', 'read')
    expect(() => grants.resolve(first, 'read')).toThrow(expect.objectContaining({ code: 'PATH_NOT_ALLOWED' }))
  })
})

describe('assertImportable', () => {
  it('accepts CSV-like names and refuses others with a hint', () => {
    expect(() => assertImportable('weather.CSV')).not.toThrow()
    expect(() => assertImportable('x.tsv')).not.toThrow()
    expect(() => assertImportable('photo.png')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
    expect(() => assertImportable('noextension')).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }))
  })
})
