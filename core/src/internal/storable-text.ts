/** @module Text every store keeps as given: well-formed Unicode without NUL (Postgres refuses both). */

/** Why `text` cannot be stored (a NUL character or an unpaired surrogate), or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)'
  if (!text.isWellFormed()) return 'must be well-formed Unicode (it holds an unpaired surrogate)'
  return null
}

/**
 * The path (keys from the top) of the first string in `value` — a value or an
 * object key, at any depth — that cannot be stored, and why; null when all can.
 */
export function findUnstorableText(value: unknown, path: readonly (string | number)[] = []): { path: (string | number)[]; reason: string } | null {
  if (typeof value === 'string') {
    const reason = unstorableText(value)
    return reason ? { path: [...path], reason } : null
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i])
      if (found) return found
    }
    return null
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const reason = unstorableText(key)
      if (reason) return { path: [...path, key], reason: `an object key ${reason}` }
      const found = findUnstorableText(item, [...path, key])
      if (found) return found
    }
  }
  return null
}
