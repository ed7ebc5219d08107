import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadSettings, MAX_RECENT, saveSettings, withRecent } from '../../../src/main/settings'
import { restorableBounds } from '../../../src/main/window-state'

const file = () => join(mkdtempSync(join(tmpdir(), 'clipcast-settings-')), 'settings.json')

describe('desktop settings', () => {
  it('round-trips through the file, and a missing or damaged file gives the defaults', () => {
    const path = file()
    expect(loadSettings(path)).toEqual({ recentWorkspaces: [] })
    const settings = { workspace: '/w/a.db', recentWorkspaces: ['/w/a.db', '/w/b.db'], window: { x: 10, y: 20, width: 1200, height: 800, maximized: false } }
    saveSettings(path, settings)
    expect(loadSettings(path)).toEqual(settings)
    writeFileSync(path, '{"recentWorkspaces": [1, "/w/c.db"], "window": {"x": "left"}')
    expect(loadSettings(path)).toEqual({ recentWorkspaces: [] })
    writeFileSync(path, '{"recentWorkspaces": [1, "/w/c.db"], "window": {"x": "left"}}')
    expect(loadSettings(path)).toEqual({ recentWorkspaces: ['/w/c.db'] })
  })

  it('keeps the recent workspaces newest first, without duplicates, at most eight', () => {
    expect(withRecent(['/b', '/a', '/c'], '/a')).toEqual(['/a', '/b', '/c'])
    const many = Array.from({ length: 12 }, (_, i) => `/w${i}`)
    expect(withRecent(many, '/new')).toHaveLength(MAX_RECENT)
    expect(withRecent(many, '/new')[0]).toBe('/new')
  })
})

describe('restorableBounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }]
  const minimum = { width: 960, height: 600 }

  it('restores a window that is on a display, at least at its minimum size', () => {
    expect(restorableBounds({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, screen, minimum)).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: true })
    expect(restorableBounds({ x: 0, y: 0, width: 300, height: 200, maximized: false }, screen, minimum)).toMatchObject({ width: 960, height: 600 })
  })

  it('drops a window left on a display that is gone, or with too little of it showing', () => {
    expect(restorableBounds({ x: 2100, y: 0, width: 1200, height: 800, maximized: false }, screen, minimum)).toBeNull()
    expect(restorableBounds({ x: 1850, y: 1000, width: 1200, height: 800, maximized: false }, screen, minimum)).toBeNull()
    expect(restorableBounds({ x: 2100, y: 0, width: 1200, height: 800, maximized: false }, [...screen, { x: 1920, y: 0, width: 2560, height: 1400 }], minimum)).not.toBeNull()
    expect(restorableBounds(undefined, screen, minimum)).toBeNull()
  })
})
