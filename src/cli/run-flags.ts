import type { Command } from 'commander'
import { ClipcastError } from '../shared/errors'
import type { RunConfigInput } from '../shared/run-config'
import { flagHelp, formatDefault, RUN_FIELDS, type RunField, type RunFieldKey } from '../shared/run-fields'

/** The flags of a run's settings as commander hands them over: text, keyed like RunConfig (`--clip-threshold` → clipThreshold). */
export type RunFlagOptions = { [K in Exclude<RunFieldKey, 'datasetId'>]?: string }

/** The fields a flag sets (every RunConfig field but the dataset, which is the command's argument). */
const FLAG_FIELDS = RUN_FIELDS.filter((field): field is RunField & { flag: string } => field.flag !== null)

/** The flags that set a run's configuration (clipcast train, clipcast sweep), with help and defaults from src/shared/run-fields.ts. */
export function addTrainFlags(command: Command): Command {
  for (const field of FLAG_FIELDS) command.option(`--${field.flag} ${field.value}`, flagHelp(field))
  return command
}

/** Flags → RunConfigInput; the schema (in the service) checks ranges and enums. */
export function toConfig(datasetId: number, options: RunFlagOptions): RunConfigInput {
  const config: Record<string, unknown> = { datasetId }
  for (const field of FLAG_FIELDS) {
    const text = options[field.key as keyof RunFlagOptions]
    if (text !== undefined) config[field.key] = parseFlag(field, text)
  }
  return config as RunConfigInput
}

/** One flag's text as the field's value: numbers checked for form only, lists split on commas. */
export function parseFlag(field: RunField & { flag: string }, text: string): unknown {
  switch (field.kind) {
    case 'integer':
    case 'number':
      return numberFlag(field.flag, text, field.kind === 'integer')
    case 'names':
      return text.split(',').map((t) => t.trim()).filter((t) => t.length > 0)
    case 'numbers':
      return numberList(field, text)
    case 'choice':
      return text
  }
}

function numberFlag(flag: string, text: string, integer: boolean): number {
  const parsed = Number(text)
  if (text.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw new ClipcastError('INVALID_CONFIG', `--${flag} must be ${integer ? 'a whole number' : 'a number'}; received ${JSON.stringify(text)}.`, {
      hint: 'See clipcast train --help for each flag\'s range.',
    })
  }
  return parsed
}

function numberList(field: RunField & { flag: string }, text: string): number[] {
  if (text.trim() === 'none' || text.trim() === '') return []
  const example = formatDefault(field)
  return text.split(',').map((part) => {
    const value = Number(part.trim())
    if (!Number.isFinite(value) || part.trim() === '') {
      throw new ClipcastError('INVALID_CONFIG', `--${field.flag} takes numbers, comma-separated, such as ${example}; received ${JSON.stringify(text)}.`, {
        hint: `Use --${field.flag} ${example}, or --${field.flag} none.`,
      })
    }
    return value
  })
}
