import { z } from 'zod'
import { DEFAULT_MIN_STEPS, DEFAULT_PATIENCE_STEPS, MIN_SUGGESTED_EPOCHS, MIN_SUGGESTED_PATIENCE, shapeForFrequency } from './run-defaults'
import { RunConfigSchema, type RunConfigInput } from './run-config'

/**
 * Every RunConfig field described once: the CLI flag, the form's label, the help text. Types,
 * bounds, choices and defaults are read from RunConfigSchema (its JSON Schema), never written
 * here. The CLI builds its train/sweep options and their --help from this table, the form its
 * labels, and both name a setting a hint points at through it (phraseHint, src/shared/setting-hints.ts).
 */
export type RunFieldKey = keyof RunConfigInput

interface FieldText {
  /** The CLI flag without dashes (commander camel-cases it back into the key); null: not a flag. */
  flag: string | null
  /** The flag's value placeholder in --help. */
  value: string
  /** The Train form's label. */
  label: string
  /** What the setting does, for --help; choices and the default are added from the schema. */
  help: string
  /** What a choice means, for --help (`norm (global L2 norm)`). */
  choiceHelp?: Record<string, string>
  /** How the default is chosen when the schema's fixed default is not what a run gets (suggested from the data). */
  defaultFrom?: string
}

const fromFrequency = (key: 'horizon' | 'lookback') =>
  `from the frequency: ${(['hourly', 'daily', 'monthly'] as const).map((f) => `${f} ${shapeForFrequency(f)![key]}`).join(', ')}, …`

const TEXT: Record<RunFieldKey, FieldText> = {
  datasetId: { flag: null, value: '<dataset>', label: 'Dataset', help: 'the dataset to train on (the command\'s argument)' },
  targets: { flag: 'targets', value: '<names>', label: 'Targets', help: 'comma-separated target columns', defaultFrom: 'every numeric column' },
  horizon: { flag: 'horizon', value: '<H>', label: 'Horizon', help: 'steps to forecast', defaultFrom: fromFrequency('horizon') },
  lookback: { flag: 'lookback', value: '<L>', label: 'Lookback', help: 'input steps per window', defaultFrom: fromFrequency('lookback') },
  layout: { flag: 'layout', value: '<layout>', label: 'Layout', help: 'how a window is laid out for the ConvLSTM', choiceHelp: { subseq: 'the lookback cut into sub-sequences', grid: 'columns named like temp[2,3] as grid cells' } },
  subseq: { flag: 'subseq', value: '<N>', label: 'Sub-sequences', help: 'sub-sequences the lookback is cut into (a divisor of it)', defaultFrom: 'near its square root' },
  layers: { flag: 'layers', value: '<N>', label: 'Layers', help: 'stacked ConvLSTM layers' },
  filters: { flag: 'filters', value: '<N>', label: 'Filters', help: 'filters per layer' },
  kernel: { flag: 'kernel', value: '<K>', label: 'Kernel', help: 'kernel size' },
  norm: { flag: 'norm', value: '<norm>', label: 'Layer norm', help: 'normalisation inside each cell' },
  init: { flag: 'init', value: '<init>', label: 'Initialiser', help: 'kernel initialiser' },
  loss: { flag: 'loss', value: '<loss>', label: 'Loss', help: 'training loss' },
  optimizer: { flag: 'optimizer', value: '<name>', label: 'Optimizer', help: 'optimizer' },
  lr: { flag: 'lr', value: '<X>', label: 'Learning rate', help: 'learning rate' },
  batch: { flag: 'batch', value: '<N>', label: 'Batch', help: 'batch size' },
  epochs: { flag: 'epochs', value: '<N>', label: 'Epochs', help: 'epochs', defaultFrom: `at least about ${DEFAULT_MIN_STEPS.toLocaleString('en')} optimizer steps, at least ${MIN_SUGGESTED_EPOCHS} epochs` },
  patience: { flag: 'patience', value: '<N>', label: 'Patience', help: 'early stopping after N epochs without a better validation loss; 0 = off', defaultFrom: `about ${DEFAULT_PATIENCE_STEPS} steps, at least ${MIN_SUGGESTED_PATIENCE}` },
  clip: {
    flag: 'clip',
    value: '<mode>',
    label: 'Clipping',
    help: 'gradient clipping',
    choiceHelp: { norm: 'global L2 norm', tensor: 'each tensor\'s L2 norm', value: 'each element', auto: 'AutoClip' },
  },
  clipThreshold: { flag: 'clip-threshold', value: '<X>', label: 'Threshold', help: 'threshold of norm, tensor and value clipping' },
  clipPercentile: { flag: 'clip-percentile', value: '<P>', label: 'Percentile', help: 'auto: clip at the P-th percentile of the global norms so far' },
  l1: { flag: 'l1', value: '<X>', label: 'L1', help: 'L1 penalty on kernels' },
  l2: { flag: 'l2', value: '<X>', label: 'L2', help: 'L2 penalty on kernels' },
  seed: { flag: 'seed', value: '<N>', label: 'Seed', help: 'random seed' },
  onDiverge: { flag: 'on-diverge', value: '<action>', label: 'On divergence', help: 'what a diverging run does', choiceHelp: { stop: 'end it', recover: 'roll back and retry gentler' } },
  maxRecoveries: { flag: 'max-recoveries', value: '<N>', label: 'Recoveries', help: 'recoveries before the run ends diverged' },
  valFraction: { flag: 'val-fraction', value: '<X>', label: 'Validation share', help: 'validation share of the windows' },
  testFraction: { flag: 'test-fraction', value: '<X>', label: 'Test share', help: 'test share of the windows' },
  backend: {
    flag: 'backend',
    value: '<name>',
    label: 'Backend',
    help: 'compute backend',
    choiceHelp: { auto: 'the first available of CUDA, a hardware WebGPU adapter, tfjs-node, wasm, cpu' },
  },
  season: { flag: 'season', value: '<N>', label: 'Season', help: 'seasonal period for the seasonal-naive baseline', defaultFrom: 'from the frequency' },
  normalize: {
    flag: 'normalize',
    value: '<mode>',
    label: 'Scaling',
    help: 'how windows are scaled',
    choiceHelp: { window: 'each window in its own frame, its origin per --location', global: 'the training scaler only' },
  },
  location: { flag: 'location', value: '<where>', label: 'Window level', help: 'the window frame\'s origin', choiceHelp: { last: 'a zero output is the naive forecast' } },
  highway: { flag: 'highway', value: '<on|off>', label: 'Linear highway', help: 'linear map from the window to the forecast, beside the ConvLSTM' },
  head: {
    flag: 'head',
    value: '<head>',
    label: 'Head',
    help: 'how the horizon is produced',
    choiceHelp: { direct: 'every horizon step from the last state', recursive: 'one step, fed back; subseq layout' },
  },
  intervals: { flag: 'intervals', value: '<levels>', label: 'Prediction intervals', help: 'prediction-interval levels in percent, comma-separated; "none" for none' },
}

/** What a value of the field is, as the schema says. */
export type FieldKind = 'integer' | 'number' | 'choice' | 'names' | 'numbers'

export interface RunField extends FieldText {
  key: RunFieldKey
  kind: FieldKind
  /** The schema's bounds; exclusive ones say so (lr > 0). */
  min?: number
  minExclusive?: boolean
  max?: number
  maxExclusive?: boolean
  choices?: readonly string[]
  /** The schema's default; undefined when the field is optional or required. */
  defaultValue?: unknown
}

interface JsonProperty {
  type?: string
  enum?: string[]
  default?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  items?: JsonProperty
}

function fieldOf(key: RunFieldKey, property: JsonProperty): RunField {
  const kind: FieldKind = property.enum
    ? 'choice'
    : property.type === 'array'
      ? property.items?.type === 'string' ? 'names' : 'numbers'
      : property.type === 'integer' ? 'integer' : 'number'
  const bounds = kind === 'numbers' ? property.items ?? {} : property
  const field: RunField = { key, kind, ...TEXT[key] }
  // the JSON Schema writes "unbounded" as ±MAX_SAFE_INTEGER for whole numbers
  if (bounds.minimum !== undefined) field.min = bounds.minimum
  if (bounds.exclusiveMinimum !== undefined) Object.assign(field, { min: bounds.exclusiveMinimum, minExclusive: true })
  if (bounds.maximum !== undefined && bounds.maximum < Number.MAX_SAFE_INTEGER) field.max = bounds.maximum
  if (bounds.exclusiveMaximum !== undefined) Object.assign(field, { max: bounds.exclusiveMaximum, maxExclusive: true })
  if (property.enum) field.choices = property.enum
  if (property.default !== undefined) field.defaultValue = property.default
  return field
}

const PROPERTIES = (z.toJSONSchema(RunConfigSchema, { io: 'input' }) as { properties: Record<RunFieldKey, JsonProperty> }).properties

/** Every RunConfig field in the schema's order. */
export const RUN_FIELDS: readonly RunField[] = (Object.keys(TEXT) as RunFieldKey[]).map((key) => fieldOf(key, PROPERTIES[key]))

/** The fields by key. */
export const RUN_FIELD = Object.fromEntries(RUN_FIELDS.map((field) => [field.key, field])) as Record<RunFieldKey, RunField>

/** The default as a user writes it: `80,95`, `0.001`, `norm`. */
export function formatDefault(field: RunField): string | undefined {
  if (field.defaultFrom !== undefined) return field.defaultFrom
  if (field.defaultValue === undefined) return undefined
  return Array.isArray(field.defaultValue) ? field.defaultValue.join(',') : String(field.defaultValue)
}

/** The CLI's help line of a field: what it does, its choices, and its default read from the schema. */
export function flagHelp(field: RunField): string {
  const choices = field.choices?.map((choice) => (field.choiceHelp?.[choice] ? `${choice} (${field.choiceHelp[choice]})` : choice)).join(' | ')
  const shown = formatDefault(field)
  const defaultText = shown === undefined ? '' : field.defaultFrom !== undefined ? ` (default: ${shown})` : ` (default ${shown})`
  return `${choices ? `${field.help}: ${choices}` : field.help}${defaultText}`
}
