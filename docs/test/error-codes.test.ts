/**
 * @module The table of error codes in `docs/http-api.md` matches the code
 * table in core (`errorCodes`): every documented code exists with that
 * status, class and retryable flag, and every code is documented.
 */
import { errorCodes } from '@tandem/core'
import { describe, expect, it } from 'vitest'
import { readPage, withoutFences } from './markdown.ts'

interface Row {
  code: string
  status: number
  type: string
  retryable: boolean
  line: number
}

/** Rows of the table under the "Error codes" heading: | `code` | status | `Class` | yes/no | when |. */
function documentedCodes(markdown: string): Row[] {
  const lines = withoutFences(markdown).split('\n')
  const start = lines.findIndex((l) => /^#+\s+Error codes\s*$/.test(l))
  if (start < 0) throw new Error('docs/http-api.md has no "Error codes" heading')
  const rows: Row[] = []
  for (let i = start + 1; i < lines.length && !/^#/.test(lines[i]!); i++) {
    const cells = lines[i]!.split('|')
      .slice(1, -1)
      .map((c) => c.trim())
    const code = /^`([a-z_]+)`$/.exec(cells[0] ?? '')?.[1]
    if (!code) continue
    rows.push({ code, status: Number(cells[1]), type: (cells[2] ?? '').replaceAll('`', ''), retryable: cells[3] === 'yes', line: i + 1 })
  }
  return rows
}

describe('error codes in docs/http-api.md', () => {
  const rows = documentedCodes(readPage('http-api.md'))
  const table = errorCodes as Record<string, { type: string; status: number; retryable: boolean }>

  it('the table is there', () => {
    expect(rows.length).toBeGreaterThan(0)
  })

  for (const row of rows) {
    it(`\`${row.code}\` (line ${row.line}) is ${row.status} ${row.type}`, () => {
      expect(Object.hasOwn(table, row.code), `"${row.code}" is not in errorCodes (core/src/errors/codes.ts)`).toBe(true)
      expect({ status: row.status, type: row.type, retryable: row.retryable }).toEqual({
        status: table[row.code]!.status,
        type: table[row.code]!.type,
        retryable: table[row.code]!.retryable,
      })
    })
  }

  it('every code in errorCodes is documented exactly once', () => {
    const documented = rows.map((r) => r.code)
    expect(
      documented.filter((c, i) => documented.indexOf(c) !== i),
      'documented twice',
    ).toEqual([])
    expect(
      Object.keys(table).filter((c) => !documented.includes(c)),
      'add these to the table in docs/http-api.md',
    ).toEqual([])
  })
})
