import type { RunLabelChange } from './api-schemas'
import { ClipcastError } from './errors'

/** What a person wrote on a run: tags to find it by, and a free note. */
export interface RunLabels {
  runId: number
  /** Sorted, each once. */
  tags: string[]
  note: string
}

/** A change is its schema's type (src/shared/api-schemas.ts). */
export type { RunLabelChange } from './api-schemas'

export const MAX_TAG_LENGTH = 40
export const MAX_TAGS = 50
export const MAX_NOTE_LENGTH = 4000

/**
 * A tag as stored: trimmed, inner whitespace as one `-`, at most MAX_TAG_LENGTH characters, no
 * commas or `=` (the run table searches `key=value` and joins tags with spaces; a tag must
 * survive both). BAD_TAG otherwise.
 */
export function normaliseTag(text: string): string {
  const tag = text.trim().replace(/\s+/g, '-')
  if (tag === '' || tag.length > MAX_TAG_LENGTH || /[,=]/.test(tag) || [...tag].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new ClipcastError('BAD_TAG', `${JSON.stringify(text)} is not a tag.`, {
      hint: `A tag is a word or words of at most ${MAX_TAG_LENGTH} characters, without commas or "="; e.g. baseline or clip-study.`,
    })
  }
  return tag
}

/** The tags after a change: sorted, each once; BAD_TAG beyond MAX_TAGS. */
export function changedTags(current: readonly string[], change: Pick<RunLabelChange, 'add' | 'remove'>): string[] {
  const removed = new Set((change.remove ?? []).map(normaliseTag))
  const tags = [...new Set([...current, ...(change.add ?? []).map(normaliseTag)])].filter((t) => !removed.has(t)).sort()
  if (tags.length > MAX_TAGS) throw new ClipcastError('BAD_TAG', `A run can have at most ${MAX_TAGS} tags; this change would give it ${tags.length}.`, { hint: 'Remove some tags first.' })
  return tags
}

/** The labels after a change; BAD_TAG for a bad tag, too many tags or a note over MAX_NOTE_LENGTH characters. */
export function applyLabelChange(current: RunLabels, change: RunLabelChange): RunLabels {
  const note = change.note === undefined ? current.note : change.note.trim()
  if (note.length > MAX_NOTE_LENGTH) throw new ClipcastError('BAD_TAG', `A note can be at most ${MAX_NOTE_LENGTH} characters; this one has ${note.length}.`, { hint: 'Shorten the note.' })
  return { runId: current.runId, tags: changedTags(current.tags, change), note }
}
