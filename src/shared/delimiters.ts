/** The delimiters detection tries and the dialogs offer, in that order. */
export const DELIMITERS = [',', ';', '\t', '|'] as const

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ',': 'comma (,)', ';': 'semicolon (;)', '\t': 'tab', '|': 'pipe (|)' }

/** A delimiter as words, as the import dialog's dropdown and the hints name it: a tab is named, not drawn as blank space. */
export function delimiterText(delimiter: string): string {
  return DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter)
}
