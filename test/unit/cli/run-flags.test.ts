import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { register } from '../../../src/cli/commands/train'
import { addTrainFlags, toConfig } from '../../../src/cli/run-flags'
import { RunConfigSchema } from '../../../src/shared/run-config'
import { RUN_FIELDS, type RunField } from '../../../src/shared/run-fields'

const DEFAULTS = RunConfigSchema.parse({ datasetId: 1 }) as Record<string, unknown>

/** A valid value of the field that is not its default, and how it is written as a flag. */
function sample(field: RunField): { value: unknown; text: string } {
  switch (field.kind) {
    case 'integer': {
      const value = (field.min ?? 0) + 1
      return { value, text: String(value) }
    }
    case 'number':
      return { value: 0.25, text: '0.25' }
    case 'choice': {
      const value = field.choices!.at(-1)!
      return { value, text: value }
    }
    case 'names':
      return { value: ['a', 'b'], text: 'a, b' }
    case 'numbers':
      return { value: [50, 90], text: '50,90' }
  }
}

function parseFlags(argv: string[]): Record<string, string> {
  const command = addTrainFlags(new Command('train').exitOverride())
  command.parse(argv, { from: 'user' })
  return command.opts()
}

describe('run flags', () => {
  it('parse, every one of them, to the value the schema then holds (a round trip through commander)', () => {
    const flagged = RUN_FIELDS.filter((field) => field.flag !== null)
    const argv = flagged.flatMap((field) => [`--${field.flag}`, sample(field).text])
    const config = RunConfigSchema.parse(toConfig(7, parseFlags(argv))) as Record<string, unknown>
    expect(config.datasetId).toBe(7)
    for (const field of flagged) {
      expect(sample(field).value, field.key).not.toEqual(DEFAULTS[field.key])
      expect(config[field.key], field.key).toEqual(sample(field).value)
    }
  })

  it('leave a setting out when its flag is not given, so the schema default (or a suggestion) applies', () => {
    expect(toConfig(3, parseFlags(['--lr', '0.01']))).toEqual({ datasetId: 3, lr: 0.01 })
  })

  it('refuse a number that is not one, and read "none" as no intervals', () => {
    expect(() => toConfig(1, parseFlags(['--batch', '1.5']))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    expect(() => toConfig(1, parseFlags(['--intervals', '80,x']))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }))
    expect(toConfig(1, parseFlags(['--intervals', 'none']))).toEqual({ datasetId: 1, intervals: [] })
  })
})

describe('clipcast train --help', () => {
  it('shows each setting\'s default as the schema has it', () => {
    const program = new Command('clipcast')
    register(program)
    const help = program.commands.find((c) => c.name() === 'train')!.helpInformation().replace(/\s+/g, ' ')
    const written = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value))
    for (const field of RUN_FIELDS) {
      if (field.flag === null || field.defaultFrom !== undefined) continue
      expect(help, field.key).toContain(`(default ${written(DEFAULTS[field.key])})`)
    }
    expect(help).toContain('--clip-threshold <X> threshold of norm, tensor and value clipping (default 1)')
    expect(help).toContain('--lr <X> learning rate (default 0.001)')
  })
})
