import { describe, expect, it } from 'vitest'
import { withSetting } from '../../../src/renderer/src/imports/settings'

describe('withSetting', () => {
  const base = { path: 'issued:1', name: 'x' }

  it('sets a choice and clears it again with auto, UTC or none', () => {
    expect(withSetting(base, 'timeFormat', 'MMM-d-yyyy')).toEqual({ ...base, timeFormat: 'MMM-d-yyyy' })
    expect(withSetting({ ...base, timeFormat: 'yyyy' }, 'timeFormat', 'auto')).toEqual(base)
    expect(withSetting({ ...base, timeZone: 'Europe/Berlin' }, 'timeZone', 'UTC')).toEqual(base)
    expect(withSetting({ ...base, seriesColumn: 'symbol' }, 'seriesColumn', '')).toEqual(base)
  })

  it('drops a frequency override and the format when the time column changes', () => {
    expect(withSetting({ ...base, frequency: 'weekly', timeFormat: 'yyyy' }, 'timeColumn', 'b')).toEqual({ ...base, timeColumn: 'b' })
    expect(withSetting({ ...base, timeColumn: 'b' }, 'frequency', 'daily')).toEqual({ ...base, timeColumn: 'b', frequency: 'daily' })
  })
})
