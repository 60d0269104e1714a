/**
 * @module Relative links in `docs/*.md` resolve: a link to a `.md` file
 * (a docs page, README.md, …) must name an existing file, and an anchor
 * (`page.md#heading`, or `#heading` on the same page) must be a heading of
 * that page, as GitHub builds anchors.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { anchors, docPages, docsDir, links, readPage, repoRoot } from './markdown.ts'

describe('docs links', () => {
  for (const page of docPages()) {
    it(`${page}: relative .md links and anchors resolve`, () => {
      const markdown = readPage(page)
      const broken: string[] = []
      for (const { target, line } of links(markdown)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:, …
        const [path = '', anchor] = target.split('#', 2)
        if (path !== '' && !path.endsWith('.md')) continue
        const file = path === '' ? join(docsDir, page) : join(docsDir, dirname(page), decodeURIComponent(path))
        const shown = relative(repoRoot, file)
        if (!existsSync(file)) {
          broken.push(`line ${line}: ${target} → ${shown} does not exist`)
          continue
        }
        if (anchor !== undefined && !anchors(readFileSync(file, 'utf8')).has(decodeURIComponent(anchor))) {
          broken.push(`line ${line}: ${target} → no heading "#${anchor}" in ${shown}`)
        }
      }
      expect(broken).toEqual([])
    })
  }
})
