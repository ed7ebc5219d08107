import { describe, expect, it, vi } from 'vitest'
import { withSuggestions } from '../../../src/cli/commands/train'
import { shapeForFrequency, suggestRunSettings } from '../../../src/shared/run-defaults'
import { RunConfigSchema, StoredRunConfigSchema } from '../../../src/shared/run-config'

describe('shapeForFrequency', () => {
  it('looks one cycle ahead and a few back', () => {
    expect(shapeForFrequency('hourly')).toEqual({ horizon: 24, lookback: 168, season: 24 })
    expect(shapeForFrequency('daily')).toEqual({ horizon: 7, lookback: 28, season: 7 })
    expect(shapeForFrequency('weekly')).toEqual({ horizon: 4, lookback: 52, season: 52 })
    expect(shapeForFrequency('monthly')).toEqual({ horizon: 12, lookback: 36, season: 12 })
    expect(shapeForFrequency('quarterly')).toEqual({ horizon: 4, lookback: 16, season: 4 })
    expect(shapeForFrequency('yearly')).toEqual({ horizon: 5, lookback: 20, season: null })
    expect(shapeForFrequency('every 900000ms')).toEqual({ horizon: 96, lookback: 672, season: 96 })
    expect(shapeForFrequency('irregular')).toBeNull()
  })
})

describe('suggestRunSettings', () => {
  it('counts training in optimizer steps: at least 1,000 of them, and patience of about 300', () => {
    // 741 monthly rows: 694 windows, 486 for training, 16 batches of 32 per epoch
    const s = suggestRunSettings({ frequency: 'monthly', rows: 741 })
    expect([s.horizon, s.lookback]).toEqual([12, 36])
    expect(s.epochs).toBe(63) // ⌈1000 / 16⌉
    expect(s.patience).toBe(19) // ⌈300 / 16⌉
    expect(s.suggested).toEqual(['horizon', 'lookback', 'epochs', 'patience'])
  })

  it('keeps what the user gave, trains at least 20 epochs on long data and shortens the lookback on short data', () => {
    const long = suggestRunSettings({ frequency: 'hourly', rows: 100_000, horizon: 6, patience: 3 })
    expect([long.horizon, long.lookback, long.epochs, long.patience]).toEqual([6, 168, 20, 3])
    expect(long.suggested).toEqual(['lookback', 'epochs'])
    const short = suggestRunSettings({ frequency: 'monthly', rows: 40 })
    expect(short.lookback).toBe(14) // ⌊40 · 2/3⌋ − 12
    expect(short.notes[1]).toContain('shortened to fit 40 rows')
  })
})

describe('the CLI\'s defaults', () => {
  it('fills only what the flags left out, and says so', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      const config = withSuggestions({ datasetId: 1, lookback: 48, epochs: 3 }, { frequency: 'hourly', rows: 8759 }, false)
      expect(config).toMatchObject({ datasetId: 1, horizon: 24, lookback: 48, epochs: 3 })
      expect(String(write.mock.calls[0]![0])).toMatch(/^suggested from the hourly data \(8759 rows\): horizon 24/)
    } finally {
      write.mockRestore()
    }
  })
})

describe('RunConfig defaults', () => {
  it('normalises per window with a highway and 80/95 intervals for new runs; a stored run without the fields is global and highway-less', () => {
    expect(RunConfigSchema.parse({ datasetId: 1 })).toMatchObject({ normalize: 'window', location: 'last', highway: 'on', intervals: [80, 95] })
    expect(StoredRunConfigSchema.parse({ datasetId: 1 })).toMatchObject({ normalize: 'global', highway: 'off', intervals: [] })
    expect(StoredRunConfigSchema.parse({ datasetId: 1, normalize: 'window', highway: 'on' })).toMatchObject({ normalize: 'window', highway: 'on' })
  })
})
