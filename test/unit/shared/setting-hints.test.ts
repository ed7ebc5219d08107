import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { register } from '../../../src/cli/commands/import'
import { IMPORT_FIELD } from '../../../src/shared/import-fields'
import { RUN_FIELD } from '../../../src/shared/run-fields'
import { flagName, labelName, phraseHint } from '../../../src/shared/setting-hints'

describe('phraseHint', () => {
  const error = { hint: 'Try a lower {lr}, or set {onDiverge} to recover.', details: { settings: ['lr', 'onDiverge'] } }

  it('names the settings by flag for the CLI', () => {
    expect(phraseHint(error, flagName)).toBe('Try a lower --lr, or set --on-diverge to recover.')
  })

  it('names the settings by the form\'s label for the app', () => {
    expect(phraseHint(error, labelName)).toBe('Try a lower Learning rate, or set On divergence to recover.')
  })

  it('leaves a hint without settings, and placeholders of settings it does not list, as they are', () => {
    expect(phraseHint({ hint: 'Check {lr}.' }, flagName)).toBe('Check {lr}.')
    expect(phraseHint({ hint: 'Check {lr} and {batch}.', details: { settings: ['batch'] } }, flagName)).toBe('Check {lr} and --batch.')
    expect(phraseHint({ hint: 'Check {toString}.', details: { settings: ['toString'] } }, flagName)).toBe('Check {toString}.')
    expect(phraseHint({}, flagName)).toBeUndefined()
  })
})

describe('import settings in a hint', () => {
  const ambiguous = {
    hint: 'Choose the order as {timeFormat}: DD/MM/YYYY or MM/DD/YYYY, or another {timeColumn}.',
    details: { settings: ['timeFormat', 'timeColumn'] },
  }

  it('are flags of clipcast import in the CLI', () => {
    expect(phraseHint(ambiguous, flagName)).toBe('Choose the order as --time-format: DD/MM/YYYY or MM/DD/YYYY, or another --time-column.')
    expect(phraseHint({ hint: 'Set {delimiter} to ;.', details: { settings: ['delimiter'] } }, flagName)).toBe('Set --delimiter to ;.')
  })

  it('are the import dialog\'s labels in the app, or words for what the dialog does not offer', () => {
    expect(phraseHint(ambiguous, labelName)).toBe('Choose the order as Time format: DD/MM/YYYY or MM/DD/YYYY, or another Time column.')
    expect(phraseHint({ hint: 'Set {delimiter} to ;.', details: { settings: ['delimiter'] } }, labelName)).toBe('Set Delimiter to ;.')
    expect(phraseHint({ hint: 'Set {reshape} to none.', details: { settings: ['reshape'] } }, labelName)).toBe('Set reshaping to none.')
  })

  it('share no key with the RunConfig fields, so a key names one setting', () => {
    expect(Object.keys(IMPORT_FIELD).filter((key) => key in RUN_FIELD)).toEqual([])
  })

  it('are each an option of clipcast import, by the flag the table gives', () => {
    const program = new Command()
    register(program)
    const flags = program.commands.find((c) => c.name() === 'import')!.options.map((o) => o.long)
    for (const field of Object.values(IMPORT_FIELD)) {
      if (field.flag !== null) expect(flags, field.key).toContain(`--${field.flag}`)
    }
  })
})
