import { IMPORT_FIELD, type ImportField } from './import-fields'
import { RUN_FIELD, type RunField } from './run-fields'

/** A setting a hint may point at: a RunConfig field (run-fields.ts) or an import setting (import-fields.ts). */
export type NamedSetting = Pick<RunField | ImportField, 'key' | 'flag' | 'value' | 'label'>

/** The two tables share no key (test/unit/shared/setting-hints.test.ts holds them to it). */
const SETTINGS: Readonly<Record<string, NamedSetting>> = { ...RUN_FIELD, ...IMPORT_FIELD }

/**
 * A hint written for every host names the settings it points at as `{key}` and lists them in
 * `details.settings`; each host names them its own way (the CLI by flag, the app by the
 * Train form's or the import dialog's label). A key the tables do not know stays as written.
 */
export function phraseHint(error: { hint?: string; details?: Record<string, unknown> }, name: (setting: NamedSetting) => string): string | undefined {
  const settings = error.details?.settings
  if (error.hint === undefined || !Array.isArray(settings)) return error.hint
  let hint = error.hint
  for (const key of settings) {
    const setting = typeof key === 'string' && Object.hasOwn(SETTINGS, key) ? SETTINGS[key] : undefined
    if (setting) hint = hint.split(`{${setting.key}}`).join(name(setting))
  }
  return hint
}

/** How the CLI names a setting: its flag. */
export const flagName = (setting: NamedSetting): string => (setting.flag === null ? setting.value : `--${setting.flag}`)

/** How the app names a setting: the Train form's or the import dialog's label. */
export const labelName = (setting: NamedSetting): string => setting.label
