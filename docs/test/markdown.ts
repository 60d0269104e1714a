/** @module Just enough Markdown for the docs tests: fenced code blocks, relative links, heading anchors. */
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The repository root and the docs folder. */
export const repoRoot = resolve(import.meta.dirname, '..', '..')
export const docsDir = join(repoRoot, 'docs')

export interface CodeBlock {
  /** The info string after the opening fence, trimmed (`ts`, `ts no-run`, `sh`, …). */
  info: string
  /** 1-based line of the opening fence. */
  line: number
  /** 1-based line of the closing fence (the last line, if the block is never closed). */
  endLine: number
  /** The block's text, indentation of the fence removed, ending with a newline. */
  code: string
}

/** Every `docs/*.md` page, sorted by name, and the README (its quick start runs too). */
export function docPages(): string[] {
  const pages = readdirSync(docsDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
  return [...pages, '../README.md']
}

export function readPage(name: string): string {
  return readFileSync(join(docsDir, name), 'utf8')
}

const fenceRe = /^( {0,3})(`{3,}|~{3,})(.*)$/

/** Fenced code blocks (``` or ~~~, CommonMark rules for closing) in document order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n')
  const blocks: CodeBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = fenceRe.exec(lines[i]!)
    if (!open) continue
    const [, indent = '', fence = '', rest = ''] = open
    if (fence[0] === '`' && rest.includes('`')) continue // not a fence: an inline code span
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const close = /^( {0,3})(`{3,}|~{3,})\s*$/.exec(lines[j]!)
      if (close && close[2]![0] === fence[0] && close[2]!.length >= fence.length) break
      const text = lines[j]!
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart())
    }
    blocks.push({ info: rest.trim(), line: i + 1, endLine: Math.min(j + 1, lines.length), code: body.length ? `${body.join('\n')}\n` : '' })
    i = j
  }
  return blocks
}

/** The Markdown with fenced code blocks blanked out (line numbers kept). */
export function withoutFences(markdown: string): string {
  const lines = markdown.split('\n')
  for (const block of codeBlocks(markdown)) {
    for (let i = block.line - 1; i < block.endLine; i++) lines[i] = ''
  }
  return lines.join('\n')
}

/** Prose only: fenced blocks and inline code spans blanked, so code is never read as a link. */
export function withoutCode(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length))
}

export interface Link {
  /** The link target as written, e.g. `concepts.md#the-stale-guard`. */
  target: string
  line: number
}

/** Inline links `[text](target)` outside code. */
export function links(markdown: string): Link[] {
  const out: Link[] = []
  withoutCode(markdown)
    .split('\n')
    .forEach((text, i) => {
      for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1]!, line: i + 1 })
    })
  return out
}

/** GitHub's anchor for a heading text (github-slugger: lower-case, punctuation dropped, spaces → `-`). */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** Every heading anchor of a page, with GitHub's `-1`, `-2` suffixes for repeated headings. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const text of withoutFences(markdown).split('\n')) {
    const m = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)
    if (!m) continue
    const base = slug(m[1]!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

export interface Sample extends CodeBlock {
  /** 1-based number of the sample among the page's runnable blocks. */
  n: number
  /** What the sample must print: the `output` block right after it, if there is one. */
  output?: string
}

/**
 * The runnable samples of a page: blocks whose info string is exactly `info`
 * (`ts` by default; `ts no-run`, `sh`, `json`, `http`, … are not run). A
 * block with the info string `output` directly below a sample (only blank
 * lines between) is what that sample prints.
 */
export function samples(markdown: string, info = 'ts'): Sample[] {
  const lines = markdown.split('\n')
  const blocks = codeBlocks(markdown)
  const out: Sample[] = []
  blocks.forEach((block, i) => {
    if (block.info !== info) return
    const sample: Sample = { ...block, n: out.length + 1 }
    const next = blocks[i + 1]
    if (next?.info === 'output' && lines.slice(block.endLine, next.line - 1).every((l) => l.trim() === '')) sample.output = next.code
    out.push(sample)
  })
  return out
}
