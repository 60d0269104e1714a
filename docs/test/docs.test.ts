/**
 * @module The docs run: every ```ts block of `docs/*.md` is written to
 * `docs/.samples/<page>-<n>.ts` and imported (so `@tandem/*` resolves to
 * source), one test per block; a block that throws, prints something other
 * than the `output` block below it, or leaves a server listening fails. One
 * more test typechecks every sample against the repo's tsconfig, and the
 * ```tsx blocks (components: type-checked only, one program per page).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { Server } from 'node:net'
import { join, relative } from 'node:path'
import { format } from 'node:util'
import ts from 'typescript'
import { describe, expect, it, vi } from 'vitest'
import { docPages, docsDir, readPage, repoRoot, type Sample, samples } from './markdown.ts'

const samplesDir = join(docsDir, '.samples')
rmSync(samplesDir, { recursive: true, force: true })
mkdirSync(samplesDir, { recursive: true })

interface SampleFile extends Sample {
  page: string
  file: string
}

const write = (info: 'ts' | 'tsx') =>
  docPages().flatMap((page) =>
    samples(readPage(page), info).map((sample) => {
      const file = join(samplesDir, `${page.replace(/\.md$/, '').replace(/\W+/g, '_')}-${info === 'tsx' ? 'x' : ''}${sample.n}.${info}`)
      // No header: line k of the file is line `sample.line + k` of the page.
      writeFileSync(file, `${sample.code}// docs/${page} line ${sample.line}\n`)
      return { ...sample, page, file }
    }),
  )
const all: SampleFile[] = write('ts')
// ```tsx blocks (components, which need a DOM) are type-checked only, one program per page; the React component tests
// run components like them in Chromium.
const typedOnly: SampleFile[] = write('tsx')

/** Point stack frames and messages at the Markdown page instead of the generated file. */
function toPageLines(text: string, s: SampleFile): string {
  const rel = relative(repoRoot, s.file).replaceAll('\\', '/')
  return text.replace(
    new RegExp(`(?:file://)?[^\\s(]*${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)(?::\\d+)?`, 'g'),
    (_m, line: string) => `docs/${s.page}:${s.line + Number(line)}`,
  )
}

describe('docs samples', () => {
  it('finds the samples', () => {
    expect(all.length).toBeGreaterThan(0)
  })

  for (const s of all) {
    it(`${s.page} block ${s.n} (line ${s.line})`, async () => {
      const printed: string[] = []
      const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(format(...args)))
      // Every server the sample starts goes through net.Server#listen; the spy records which.
      const listen = vi.spyOn(Server.prototype, 'listen')
      const servers: Server[] = []
      try {
        await import(/* @vite-ignore */ s.file)
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error))
        const at = new RegExp(`${s.page.replace('.md', '')}-${s.n}\\.ts:(\\d+)`).exec(e.stack ?? '')
        const where = at ? ` (at docs/${s.page}:${s.line + Number(at[1])})` : ''
        const wrapped = new Error(`docs/${s.page} block ${s.n} (line ${s.line}) threw${where}: ${toPageLines(e.message, s)}`, { cause: e })
        wrapped.stack = `${wrapped.message}\n${toPageLines(e.stack ?? '', s)}\n--- printed before it threw ---\n${printed.join('\n')}`
        throw wrapped
      } finally {
        servers.push(...(listen.mock.contexts as Server[]))
        spy.mockRestore()
        listen.mockRestore()
      }
      const open = servers.filter((server) => server.listening)
      for (const server of open) server.close()
      expect(open.length, 'servers the sample left listening (it must close each one)').toBe(0)
      if (s.output !== undefined) expect(`${printed.join('\n')}\n`, 'printed output').toBe(s.output)
    })
  }

  it('every sample typechecks', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(
      join(repoRoot, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
        },
      },
    )
    const problems: string[] = []
    // The ts samples in one program; each page's tsx samples in their own, so a page can register its own schema.
    const groups = [all, ...new Set(typedOnly.map((s) => s.page))].map((g) => (typeof g === 'string' ? typedOnly.filter((s) => s.page === g) : g))
    for (const group of groups) {
      const program = ts.createProgram({ rootNames: group.map((s) => s.file), options: { ...parsed!.options, noEmit: true } })
      for (const s of group) {
        const source = program.getSourceFile(s.file)!
        for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
          const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0)
          problems.push(`docs/${s.page}:${s.line + line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
        }
      }
    }
    expect(problems).toEqual([])
  }, 120_000)
})
