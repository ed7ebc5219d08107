/** The delimiters detection tries and the dialogs offer, in that order. */
export const DELIMITERS = [',', ';', '\t', '|'] as const

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ',': 'comma (,)', ';': 'semicolon (;)', '\t': 'tab', '|': 'pipe (|)' }

/** A delimiter as words, as the import dialog's dropdown and the hints name it: a tab is named, not drawn as blank space. */
export function delimiterText(delimiter: string): string {
  return DELIMITER_NAMES[delimiter] ?? JSON.stringify(delimiter)
}

const BY_NAME: Readonly<Record<string, string>> = { comma: ',', semicolon: ';', tab: '\t', '\\t': '\t', pipe: '|' }

/** A delimiter as a user types it: the character itself, or its name as hints write it (comma, semicolon, tab, pipe, \t). */
export function delimiterFromText(text: string): string {
  return BY_NAME[text.trim().toLowerCase()] ?? text
}
