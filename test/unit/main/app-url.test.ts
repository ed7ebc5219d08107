import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { isAppUrl, rendererFile } from '../../../src/main/app-url'

const ROOT = '/opt/clipcast/out/renderer'

describe('rendererFile', () => {
  it('maps app://clipcast paths into the renderer folder', () => {
    expect(rendererFile('app://clipcast/index.html', ROOT)).toBe(join(ROOT, 'index.html'))
    expect(rendererFile('app://clipcast/assets/index-1.js?v=2', ROOT)).toBe(join(ROOT, 'assets', 'index-1.js'))
  })

  it('refuses escapes the URL parser leaves encoded, other hosts and bad escapes', () => {
    for (const url of ['app://clipcast/..%2f..%2fpackage.json', 'app://clipcast/assets/..%2f..%2f..%2fetc%2fpasswd', 'app://clipcast/..%5c..%5cpackage.json', 'app://clipcast/', 'app://elsewhere/index.html', 'file:///opt/clipcast/out/renderer/index.html', 'app://clipcast/%E0%A4%A', 'not a url']) {
      expect(rendererFile(url, ROOT), url).toBeNull()
    }
  })
})

describe('isAppUrl', () => {
  it('trusts the app origin and, when given, exactly the dev server origin', () => {
    expect(isAppUrl('app://clipcast/index.html', null)).toBe(true)
    expect(isAppUrl('http://localhost:5173/#/runs', new URL('http://localhost:5173'))).toBe(true)
    expect(isAppUrl('http://localhost:5173.evil.test/', new URL('http://localhost:5173'))).toBe(false)
    expect(isAppUrl('http://localhost:5173/', null)).toBe(false)
    expect(isAppUrl('file:///opt/clipcast/out/renderer/index.html', null)).toBe(false)
    expect(isAppUrl(undefined, null)).toBe(false)
  })
})
