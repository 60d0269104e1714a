/**
 * @module Parse and explain commands from their tables (command-spec.ts): options, positional arguments and
 * environment variables. The same table drives `node:util` parseArgs, the
 * `--help` text and docs/cli.md, so the three cannot drift apart.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'

export interface OptionSpec {
  name: string
  type: 'string' | 'boolean'
  /** The value's placeholder in help, e.g. `<file>`. */
  value?: string
  description: string
  required?: boolean
}

export interface EnvSpec {
  name: string
  description: string
}

export interface CommandSpec {
  /** `dev`, or `keys create` for a subcommand. */
  name: string
  summary: string
  /** Positional arguments, e.g. `<key id>`; each is required. */
  args?: string[]
  options: OptionSpec[]
  env: EnvSpec[]
  /** Lines printed after the options. */
  notes?: string[]
  subcommands?: CommandSpec[]
}

/** Bad input on the command line: printed with the usage line and the help hint, exit 2. */
export class UsageError extends Error {
  readonly command: CommandSpec
  constructor(command: CommandSpec, message: string) {
    super(message)
    this.command = command
  }
}

const help: OptionSpec = { name: 'help', type: 'boolean', description: 'Print this help and exit' }

export const optionWords = (o: OptionSpec) => `--${o.name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`

export function usageLine(c: CommandSpec): string {
  if (c.subcommands) return `Usage: tandem ${c.name} <${c.subcommands.map((s) => s.name.split(' ').at(-1)).join('|')}> [options]`
  const required = c.options.filter((o) => o.required).map(optionWords)
  return ['Usage: tandem', c.name, ...(c.args ?? []), ...required, c.options.some((o) => !o.required) ? '[options]' : ''].filter(Boolean).join(' ')
}

/** Rows `  left  description`, the descriptions aligned (a long left side gets a line of its own). */
export function table(rows: Array<[string, string]>): string[] {
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)) + 2)
  return rows.map(([left, text]) => (left.length + 2 > width ? `  ${left}\n  ${' '.repeat(width)}${text}` : `  ${left.padEnd(width)}${text}`))
}

/** The `--help` text of a command (with each subcommand's options), or of a subcommand. */
export function helpText(c: CommandSpec): string {
  const out = [usageLine(c), '', c.summary]
  for (const sub of c.subcommands ?? [])
    out.push('', `${usageLine(sub).replace('Usage: ', '')}`, `  ${sub.summary}`, ...table(sub.options.map((o) => [optionWords(o), o.description])))
  if (!c.subcommands)
    out.push('', 'Options:', ...table([...c.options.map((o): [string, string] => [optionWords(o), o.description]), ['--help, -h', help.description]]))
  const env = [...new Map([...c.env, ...(c.subcommands ?? []).flatMap((s) => s.env)].map((e) => [e.name, e])).values()]
  if (env.length) out.push('', 'Environment:', ...table(env.map((e) => [e.name, e.description])))
  if (c.notes?.length) out.push('', ...c.notes)
  if (c.subcommands) out.push('', `Each takes --help: tandem ${c.name} <command> --help`)
  return out.join('\n')
}

export type ParsedArgs = { values: Record<string, string | boolean | undefined>; positionals: string[] }

/**
 * Parse `argv` with the command's table; resolves to null when `--help` was
 * asked for (the help is printed). Throws UsageError on anything else it
 * does not know, a missing required option or a missing argument.
 */
export function parseCommand(c: CommandSpec, argv: string[]): ParsedArgs | null {
  const options: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } }
  for (const o of c.options) options[o.name] = { type: o.type }
  let parsed: ParsedArgs
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: (c.args?.length ?? 0) > 0, strict: true }) as ParsedArgs
  } catch (error) {
    throw new UsageError(c, (error as Error).message)
  }
  if (parsed.values['help']) {
    console.log(helpText(c))
    return null
  }
  const missing = c.options.find((o) => o.required && parsed.values[o.name] === undefined)
  if (missing) throw new UsageError(c, `--${missing.name} is required`)
  const args = c.args ?? []
  if (parsed.positionals.length < args.length) throw new UsageError(c, `${args[parsed.positionals.length]} is required`)
  if (parsed.positionals.length > args.length) throw new UsageError(c, `Unexpected argument "${parsed.positionals[args.length]}"`)
  return parsed
}

/** Pick the subcommand named by `argv[0]`: null after printing the group's help for `--help`, `-h`, `help`. */
export function pickSubcommand(c: CommandSpec, argv: string[]): { sub: CommandSpec; rest: string[] } | null {
  const [word, ...rest] = argv
  if (word === '--help' || word === '-h' || word === 'help') {
    console.log(helpText(c))
    return null
  }
  const sub = c.subcommands?.find((s) => s.name === `${c.name} ${word}`)
  if (!sub) throw new UsageError(c, word === undefined ? `tandem ${c.name} needs a command` : `Unknown command "${c.name} ${word}"`)
  return { sub, rest }
}
