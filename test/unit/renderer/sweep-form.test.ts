import { describe, expect, it } from 'vitest'
import { draftSpec, sweepChoices } from '../../../src/renderer/src/lib/sweep-form'

describe('the Sweep form', () => {
  it('offers the settings a sweep can vary, never the dataset', () => {
    const keys = sweepChoices().map((c) => c.key)
    expect(keys).toEqual(expect.arrayContaining(['lr', 'clipThreshold', 'optimizer', 'filters']))
    expect(keys).not.toContain('datasetId')
    expect(sweepChoices().find((c) => c.key === 'optimizer')!.hint).toContain('adam')
  })

  it('turns the rows into the spec clipcast sweep would make, and counts the grid\'s trials', () => {
    const drafts = [{ key: 'clipThreshold', text: '0.1, 1, 10' }, { key: 'optimizer', text: 'adam,sgd' }, { key: 'lr', text: '' }]
    expect(draftSpec(drafts, 'grid', 1, 0)).toEqual({
      spec: { mode: 'grid', dimensions: [{ key: 'clipThreshold', values: [0.1, 1, 10] }, { key: 'optimizer', values: ['adam', 'sgd'] }] },
      trials: 6,
    })
    expect(draftSpec([{ key: 'lr', text: '1e-4..1e-1:log' }], 'random', 5, 7)).toEqual({
      spec: { mode: 'random', dimensions: [{ key: 'lr', range: { min: 1e-4, max: 1e-1, log: true } }], count: 5, seed: 7 },
      trials: 5,
    })
  })

  it('says what is wrong instead of a spec', () => {
    const problems = (drafts: Parameters<typeof draftSpec>[0], mode: 'grid' | 'random' = 'grid', count = 1) => {
      const result = draftSpec(drafts, mode, count, 0)
      return 'problems' in result ? result.problems.length : 0
    }
    expect(problems([])).toBe(1)
    expect(problems([{ key: 'optimizer', text: 'adam,nope' }])).toBe(1)
    expect(problems([{ key: 'filters', text: '2.5' }])).toBe(1)
    expect(problems([{ key: 'lr', text: '0.1' }, { key: 'lr', text: '0.2' }])).toBe(1)
    expect(problems([{ key: 'lr', text: '1e-4..1e-1' }])).toBe(1)
    expect(problems([{ key: 'lr', text: '0.1' }], 'random', 0)).toBe(1)
    // the host's limit, said before the sweep is sent: 10 × 10 × 11 = 1,100 combinations
    const tens = Array.from({ length: 10 }, (_, i) => i + 1).join(',')
    const big = draftSpec([{ key: 'filters', text: tens }, { key: 'epochs', text: tens }, { key: 'patience', text: `${tens},11` }], 'grid', 1, 0)
    expect(big).toEqual({ problems: ['That grid has 1,100 combinations; a sweep plans at most 1,000 trials.'] })
  })
})
