import type { Warning } from '../../shared/api'

/** Names that would reach Object.prototype if a header ever became an object key. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])

/**
 * Makes header names safe and unique: trimmed; empty → `column_N`; `__proto__`, `constructor`,
 * `prototype` → `<name>_column`; repeats → `<name>_2`, `<name>_3`. Each rename is a warning,
 * so columns never shift and no name can pollute a prototype.
 */
export function sanitizeHeaders(raw: readonly string[]): { names: string[]; warnings: Warning[] } {
  const names: string[] = []
  const taken = new Set<string>()
  const badRenames: string[] = []
  const duplicateRenames: string[] = []
  raw.forEach((original, i) => {
    let name = original.replace(/^\uFEFF/, '').trim()
    if (name.length === 0) {
      name = `column_${i + 1}`
      badRenames.push(`empty header of column ${i + 1} → ${JSON.stringify(name)}`)
    } else if (RESERVED.has(name)) {
      const renamed = `${name}_column`
      badRenames.push(`${JSON.stringify(name)} → ${JSON.stringify(renamed)}`)
      name = renamed
    }
    if (taken.has(name)) {
      let k = 2
      while (taken.has(`${name}_${k}`)) k++
      duplicateRenames.push(`${JSON.stringify(name)} (column ${i + 1}) → ${JSON.stringify(`${name}_${k}`)}`)
      name = `${name}_${k}`
    }
    taken.add(name)
    names.push(name)
  })
  const warnings: Warning[] = []
  if (badRenames.length > 0) warnings.push({ code: 'CSV_BAD_HEADER', message: `Renamed headers that cannot be used as names: ${badRenames.join('; ')}.` })
  if (duplicateRenames.length > 0) warnings.push({ code: 'CSV_DUPLICATE_HEADER', message: `Renamed repeated headers: ${duplicateRenames.join('; ')}.` })
  return { names, warnings }
}
