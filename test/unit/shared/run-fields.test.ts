import { describe, expect, it } from 'vitest'
import { RunConfigSchema } from '../../../src/shared/run-config'
import { flagHelp, RUN_FIELD, RUN_FIELDS } from '../../../src/shared/run-fields'

describe('the RunConfig field table', () => {
  it('has one row for every schema field, in the schema\'s order', () => {
    expect(RUN_FIELDS.map((field) => field.key)).toEqual(Object.keys(RunConfigSchema.shape))
  })

  it('names each flag as commander camel-cases it back into the key', () => {
    for (const field of RUN_FIELDS) {
      if (field.flag === null) continue
      expect(field.flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()), field.key).toBe(field.key)
    }
  })

  it('reads bounds, choices and defaults from the schema', () => {
    expect(RUN_FIELD.layers).toMatchObject({ kind: 'integer', min: 1, max: 8, defaultValue: 1 })
    expect(RUN_FIELD.lr).toMatchObject({ kind: 'number', min: 0, minExclusive: true, max: 1e6, defaultValue: 1e-3 })
    expect(RUN_FIELD.clip).toMatchObject({ kind: 'choice', choices: ['none', 'norm', 'tensor', 'value', 'auto'], defaultValue: 'norm' })
    expect(RUN_FIELD.intervals).toMatchObject({ kind: 'numbers', min: 0, minExclusive: true, max: 100, maxExclusive: true, defaultValue: [80, 95] })
    expect(RUN_FIELD.targets).toMatchObject({ kind: 'names', defaultValue: [] })
    // optional without a default, and no upper bound
    expect(RUN_FIELD.subseq.defaultValue).toBeUndefined()
    expect(RUN_FIELD.subseq.max).toBeUndefined()
  })

  it('says how the default is chosen only for the settings suggested from the data or derived', () => {
    expect(RUN_FIELDS.filter((field) => field.defaultFrom !== undefined).map((field) => field.key)).toEqual(['targets', 'horizon', 'lookback', 'subseq', 'epochs', 'patience', 'season'])
  })

  it('writes the schema default into the help, or how the default is chosen', () => {
    expect(flagHelp(RUN_FIELD.lr)).toBe('learning rate (default 0.001)')
    expect(flagHelp(RUN_FIELD.norm)).toBe('normalisation inside each cell: none | layer (default none)')
    expect(flagHelp(RUN_FIELD.intervals)).toContain('(default 80,95)')
    expect(flagHelp(RUN_FIELD.horizon)).toBe('steps to forecast (default: from the frequency: hourly 24, daily 7, monthly 12, …)')
  })
})
