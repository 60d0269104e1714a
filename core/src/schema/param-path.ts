/** @module The one form of an error's `param`: `operations[2].title` (indexes in brackets, names after dots). */

/** Join path parts into a `param`: `paramPath('operations[1]', 'tags', 0)` → `operations[1].tags[0]`; empty parts are skipped. */
export function paramPath(...parts: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const part of parts) {
    if (typeof part === 'number') out += `[${part}]`
    else if (part !== '') out += out ? `.${String(part)}` : String(part)
  }
  return out
}
