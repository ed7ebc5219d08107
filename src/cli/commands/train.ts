import type { Command } from 'commander'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { importCsv } from '../../core/data/import'
import { upgradeTradingDayDatasets } from '../../core/data/trading-day-upgrade'
import { getDataset } from '../../core/store/datasets'
import { openWorkspace } from '../../core/store/workspace'
import { assertConfigFits } from '../../core/train/memory-budget'
import type { DatasetSummary } from '../../shared/api'
import { ClipcastError } from '../../shared/errors'
import type { RunConfigInput } from '../../shared/run-config'
import { suggestRunSettings } from '../../shared/run-defaults'
import { workspacePath } from '../args'
import { followRun } from '../follow-run'
import { action, printJson } from '../output'
import { addTrainFlags, toConfig, type RunFlagOptions } from '../run-flags'

/** `clipcast train`'s options: the run's settings as flags (src/shared/run-fields.ts), and the command's own. */
export type TrainOptions = RunFlagOptions & { sample?: boolean; db?: string; json?: boolean }

/** `clipcast train`: imports when given a CSV, then trains one run in a worker thread and follows it. */
export function register(program: Command): void {
  const command = program
    .command('train')
    .description('Train a ConvLSTM forecaster on a dataset (id), a CSV file (imported first) or the bundled sample.')
    .argument('[dataset]', 'dataset id, or a CSV file to import first')
    .option('--sample', 'train on the bundled sample dataset (imported on first use)')
  addTrainFlags(command)
    .option('--db <file>', 'workspace file')
    .option('--json', 'NDJSON on stdout: one line per epoch, recovery and warning, then {"event":"done",…}')
    .action(action(async (datasetArg: string | undefined, options: TrainOptions) => {
      const dbPath = workspacePath(options.db)
      const dataset = await resolveDataset(dbPath, datasetArg, options)
      const config = withSuggestions(toConfig(dataset.id, options), dataset, Boolean(options.json))
      await followRun(dbPath, Boolean(options.json), (manager) => {
        assertConfigFits(manager.db, config)
        return manager.start(config)
      })
    }))
}

export async function resolveDataset(dbPath: string, datasetArg: string | undefined, options: TrainOptions): Promise<DatasetSummary> {
  if (options.sample && datasetArg !== undefined) {
    throw new ClipcastError('BAD_REQUEST', 'Give either a dataset or --sample, not both.', { hint: 'clipcast train 3, clipcast train data.csv, or clipcast train --sample.' })
  }
  if (!options.sample && datasetArg === undefined) {
    throw new ClipcastError('BAD_REQUEST', 'No dataset given.', { hint: 'clipcast train <dataset-id | file.csv>, or clipcast train --sample.' })
  }
  const db = openWorkspace(dbPath)
  try {
    upgradeTradingDayDatasets(db)
    if (datasetArg !== undefined && /^\d+$/.test(datasetArg) && !existsSync(datasetArg)) return getDataset(db, Number(datasetArg))
    // the same bytes imported again return the existing dataset, so --sample is reused
    const dataset = await importCsv(db, options.sample ? { sample: true } : { path: resolve(datasetArg!) })
    if (!options.json) process.stderr.write(`dataset ${dataset.id} (${dataset.name}): ${dataset.rows} rows, ${dataset.frequency}\n`)
    return dataset
  } finally {
    db.close()
  }
}

/**
 * Horizon, lookback, epochs and patience the user did not give, suggested from the dataset's
 * frequency and length (suggestRunSettings); says which it took, on stderr or as an NDJSON
 * `suggested` line.
 */
export function withSuggestions(config: RunConfigInput, dataset: Pick<DatasetSummary, 'frequency' | 'rows'>, json: boolean): RunConfigInput {
  const suggestion = suggestRunSettings({ frequency: dataset.frequency, rows: dataset.rows, ...config })
  if (suggestion.suggested.length === 0) return config
  const taken = Object.fromEntries(suggestion.suggested.map((key) => [key, suggestion[key]]))
  if (json) printJson({ event: 'suggested', frequency: dataset.frequency, ...taken, notes: suggestion.notes })
  else process.stderr.write(`suggested from the ${dataset.frequency} data (${dataset.rows} rows): ${suggestion.notes.join(', ')}\n`)
  return { ...config, ...taken }
}
