import { describe, expect, it } from 'vitest'
import { defaultParallelism, gridTrials, parseVary, randomTrials, settingKey, trialConfigs } from '../../../../src/core/train/sweep-space'
import { ClipcastError } from '../../../../src/shared/errors'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return error instanceof ClipcastError ? error.code : 'NOT_A_CLIPCAST_ERROR'
  }
  return undefined
}

describe('parseVary', () => {
  it('reads a flag name and a list of numbers', () => {
    expect(settingKey('clip-threshold')).toBe('clipThreshold')
    expect(parseVary('clip-threshold=0.1,1,10')).toEqual({ key: 'clipThreshold', values: [0.1, 1, 10] })
    expect(parseVary('lr = 1e-3, 1e-2')).toEqual({ key: 'lr', values: [0.001, 0.01] })
  })

  it('reads choices and checks them against the schema', () => {
    expect(parseVary('optimizer=adam,sgd')).toEqual({ key: 'optimizer', values: ['adam', 'sgd'] })
    expect(codeOf(() => parseVary('optimizer=adam,lbfgs'))).toBe('SWEEP_BAD_SPEC')
  })

  it('reads a range, log-uniform with :log', () => {
    expect(parseVary('lr=1e-4..1e-1:log')).toEqual({ key: 'lr', range: { min: 1e-4, max: 0.1, log: true } })
    expect(parseVary('filters=2..8')).toEqual({ key: 'filters', range: { min: 2, max: 8, log: false } })
  })

  it('refuses unknown settings, the dataset, non-numbers, fractions for whole numbers and repeats', () => {
    expect(codeOf(() => parseVary('colour=1,2'))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('dataset-id=1,2'))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('lr=fast'))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('filters=2.5'))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('lr=0.1,0.1'))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('lr='))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('lr=1..0.1'))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => parseVary('lr'))).toBe('SWEEP_BAD_SPEC')
  })
})

describe('gridTrials', () => {
  it('is every combination, the last setting changing fastest', () => {
    expect(gridTrials([parseVary('clip-threshold=0.1,1,10'), parseVary('lr=1e-3,1e-2')])).toEqual([
      { clipThreshold: 0.1, lr: 0.001 },
      { clipThreshold: 0.1, lr: 0.01 },
      { clipThreshold: 1, lr: 0.001 },
      { clipThreshold: 1, lr: 0.01 },
      { clipThreshold: 10, lr: 0.001 },
      { clipThreshold: 10, lr: 0.01 },
    ])
  })

  it('refuses no dimensions, a setting varied twice, and a range', () => {
    expect(codeOf(() => gridTrials([]))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => gridTrials([parseVary('lr=1,2'), parseVary('lr=3')]))).toBe('SWEEP_BAD_SPEC')
    expect(codeOf(() => gridTrials([parseVary('lr=1e-4..1e-1')]))).toBe('SWEEP_BAD_SPEC')
  })

  it('refuses a grid of more than 1,000 combinations before building it, and plans one of exactly 1,000', () => {
    const tens = (key: string) => parseVary(`${key}=${Array.from({ length: 10 }, (_, i) => i + 1).join(',')}`)
    expect(gridTrials([tens('filters'), tens('epochs'), tens('patience')])).toHaveLength(1000)
    expect(codeOf(() => gridTrials([tens('filters'), tens('epochs'), tens('patience'), parseVary('lr=1e-3,1e-2')]))).toBe('SWEEP_BAD_SPEC')
  })
})

describe('randomTrials', () => {
  const dimensions = [parseVary('lr=1e-4..1e-1:log'), parseVary('filters=2..8'), parseVary('clip=none,norm,value')]

  it('draws the same trials for the same seed and others for another seed', () => {
    const a = randomTrials(dimensions, 5, 7)
    expect(randomTrials(dimensions, 5, 7)).toEqual(a)
    expect(randomTrials(dimensions, 5, 8)).not.toEqual(a)
    expect(a).toHaveLength(5)
  })

  it('keeps every draw inside its range, whole numbers whole, choices from the list', () => {
    for (const trial of randomTrials(dimensions, 200, 3)) {
      expect(trial.lr).toBeGreaterThanOrEqual(1e-4)
      expect(trial.lr).toBeLessThanOrEqual(0.1)
      expect(Number.isInteger(trial.filters)).toBe(true)
      expect(trial.filters).toBeGreaterThanOrEqual(2)
      expect(trial.filters).toBeLessThanOrEqual(8)
      expect(['none', 'norm', 'value']).toContain(trial.clip)
    }
  })

  it('spreads a log range evenly over its decades', () => {
    const draws = randomTrials([parseVary('lr=1e-4..1e-0:log')], 400, 11).map((t) => t.lr as number)
    const below = draws.filter((lr) => lr < 1e-2).length
    // half the decades lie below 1e-2: a uniform draw would put about 1% there
    expect(below / draws.length).toBeGreaterThan(0.4)
    expect(below / draws.length).toBeLessThan(0.6)
  })
})

describe('trialConfigs and defaultParallelism', () => {
  it('lays each trial over the base settings and checks it', () => {
    expect(trialConfigs({ datasetId: 1, epochs: 3 }, [{ lr: 0.01 }])[0]).toMatchObject({ datasetId: 1, epochs: 3, lr: 0.01, clipThreshold: 1 })
    expect(codeOf(() => trialConfigs({ datasetId: 1 }, [{ clipThreshold: -1 }]))).toBe('INVALID_CONFIG')
  })

  it('runs one per GPU, else half the cores, at least one', () => {
    expect(defaultParallelism({ backend: 'auto', cores: 8, gpus: 2 })).toBe(2)
    expect(defaultParallelism({ backend: 'auto', cores: 8, gpus: 0 })).toBe(4)
    expect(defaultParallelism({ backend: 'wasm', cores: 8, gpus: 1 })).toBe(4)
    expect(defaultParallelism({ backend: 'cpu', cores: 1, gpus: 0 })).toBe(1)
    expect(defaultParallelism({ backend: 'tensorflow', cores: 16, gpus: 0 })).toBe(1)
    expect(defaultParallelism({ backend: 'webgpu', cores: 16, gpus: 0 })).toBe(1)
  })
})
