import { describe, expect, it } from 'vitest'
import { assertImportable } from '../../../src/shared/api-schemas'
import { PathGrants } from '../../../src/core/path-grants'
import { downsampleIndices } from '../../../src/core/series-read'

describe('downsampleIndices', () => {
  it('keeps every row when there are few enough', () => {
    expect(downsampleIndices([[1, 2, 3]], 3, 10)).toEqual([0, 1, 2])
  })

  it('keeps a single spike that every-k-th sampling would lose', () => {
    const values = Array.from({ length: 10_000 }, () => 1)
    values[4321] = 500
    const picked = downsampleIndices([values], values.length, 100)
    expect(picked.length).toBeLessThanOrEqual(100)
    expect(picked).toContain(4321)
    expect(picked[picked.length - 1]).toBe(9999)
    expect([...picked].sort((a, b) => a - b)).toEqual(picked)
  })

  it('keeps the extremes of every column and ignores missing values', () => {
    const a = Array.from({ length: 1000 }, (_, i) => i)
    const b = Array.from({ length: 1000 }, (_, i) => (i === 10 ? -50 : i === 20 ? Number.NaN : 0))
    const picked = downsampleIndices([a, b], 1000, 40)
    expect(picked).toContain(10)
    expect(picked.length).toBeLessThanOrEqual(40)
  })
})

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
