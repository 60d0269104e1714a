/** Every command and subcommand takes --help (exit 0) and lists each of its options and environment variables; bad input exits 2 with the help hint; docs/cli.md is the generated help. */
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { CommandSpec } from '../src/command-parser.ts'
import { commandSpecs } from '../src/command-spec.ts'
import { cliDocs } from '../src/help.ts'

const root = resolve(import.meta.dirname, '../..')
const bin = join(root, 'cli/src/bin.ts')
const tandem = (args: string[]) =>
  promisify(execFile)(process.execPath, ['--conditions=@tandem/source', bin, ...args], { env: { ...process.env, DATABASE_URL: '' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  )

const allCommands = commandSpecs.flatMap((c) => [c, ...(c.subcommands ?? [])])
const leaves = commandSpecs.flatMap((c) => c.subcommands ?? [c])
const optionsOf = (c: CommandSpec) => [...c.options, ...(c.subcommands ?? []).flatMap((s) => s.options)].map((o) => `--${o.name}`)
const envOf = (c: CommandSpec) => [...c.env, ...(c.subcommands ?? []).flatMap((s) => s.env)].map((e) => e.name)

/** Every `process.env['NAME']` the CLI's source reads. */
function envReads(): string[] {
  const files = readdirSync(join(root, 'cli/src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))
  const names = files.flatMap((f) => [...readFileSync(join(root, 'cli/src', f), 'utf8').matchAll(/process\.env\[['"]([A-Z0-9_]+)['"]\]/g)].map((m) => m[1]!))
  return [...new Set(names)]
}

describe('tandem --help', () => {
  it.concurrent.each(allCommands.map((c) => [c.name, c] as const))(
    'tandem %s --help exits 0 and lists each option and environment variable',
    async (name, c) => {
      const { code, stdout } = await tandem([...name.split(' '), '--help'])
      expect(code).toBe(0)
      expect(stdout).toContain(`Usage: tandem ${name}`)
      for (const option of optionsOf(c)) expect(stdout, option).toContain(option)
      for (const variable of envOf(c)) expect(stdout, variable).toContain(variable)
    },
  )

  it('tandem --help (and help, -h) lists every command, option and environment variable, exit 0', async () => {
    const [long, word, short] = await Promise.all([tandem(['--help']), tandem(['help']), tandem(['-h'])])
    for (const r of [long, word, short]) expect(r.code).toBe(0)
    expect(word.stdout).toBe(long.stdout)
    expect(short.stdout).toBe(long.stdout)
    for (const c of commandSpecs) expect(long.stdout).toContain(`  ${c.name}`)
    for (const option of new Set(leaves.flatMap(optionsOf))) expect(long.stdout, option).toContain(option)
    for (const variable of new Set(leaves.flatMap(envOf))) expect(long.stdout, variable).toContain(variable)
  })

  it('every environment variable the CLI source reads is in the help', async () => {
    const reads = envReads()
    expect(reads).toEqual(expect.arrayContaining(['DATABASE_URL', 'TANDEM_SECRET_KEYS', 'TANDEM_PORT']))
    const { stdout } = await tandem(['--help'])
    for (const variable of reads) expect(stdout, `${variable} is read in cli/src but not in tandem --help`).toContain(variable)
  })

  it('bad input exits 2 with what is wrong, the usage line and the help hint', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['serve', '--bogus'], /Unknown option '--bogus'[\s\S]*Usage: tandem serve[\s\S]*tandem serve --help/],
      [['keys', 'revoke'], /<key id> is required[\s\S]*Usage: tandem keys revoke <key id>/],
      [['keys', 'nope'], /Unknown command "keys nope"[\s\S]*tandem keys --help/],
      [['schema'], /needs a command[\s\S]*Usage: tandem schema <ddl\|openapi\|push>/],
      [['webhooks', 'create'], /--url is required[\s\S]*Usage: tandem webhooks create --url/],
      [['keys', 'list', '--label', 'x'], /Unknown option '--label'[\s\S]*tandem keys list --help/],
    ]
    const results = await Promise.all(cases.map(([args]) => tandem(args)))
    results.forEach((r, i) => {
      expect(r.code, cases[i]![0].join(' ')).toBe(2)
      expect(r.stderr).toMatch(cases[i]![1])
    })
  })
})

describe('docs/cli.md', () => {
  it('is the help generated from cli/src/command-spec.ts (UPDATE_CLI_DOCS=1 rewrites it)', () => {
    const path = join(root, 'docs/cli.md')
    if (process.env['UPDATE_CLI_DOCS'] === '1') writeFileSync(path, cliDocs())
    expect(readFileSync(path, 'utf8'), 'docs/cli.md is stale: run UPDATE_CLI_DOCS=1 npx vitest run cli/test/cli-help.test.ts').toBe(cliDocs())
  })
})
