/** @module The top-level `tandem --help` and docs/cli.md, both generated from the command tables. */
import { helpText, optionWords, table, type CommandSpec, type EnvSpec } from './command-parser.ts'
import { commandSpecs } from './command-spec.ts'

const leaves = (c: CommandSpec): CommandSpec[] => c.subcommands ?? [c]
const firstSentence = (text: string) => text.replace(/\.\s.*$/s, '.').replace(/\.$/, '')

/** Each option and variable once, with the commands that take it. */
function union<T extends { name: string }>(pick: (c: CommandSpec) => T[]): Array<{ item: T; commands: string[] }> {
  const seen = new Map<string, { item: T; commands: string[] }>()
  for (const c of commandSpecs.flatMap(leaves))
    for (const item of pick(c)) {
      const entry = seen.get(item.name) ?? { item, commands: [] }
      const top = c.name.split(' ')[0]!
      if (!entry.commands.includes(top)) entry.commands.push(top)
      seen.set(item.name, entry)
    }
  return [...seen.values()]
}

export function topLevelHelp(): string {
  return [
    'Usage: tandem <command> [options]      tandem <command> --help lists its options',
    '',
    'Commands:',
    ...table(
      commandSpecs.map((c) => [c.subcommands ? `${c.name} ${c.subcommands.map((s) => s.name.split(' ')[1]).join('|')}` : c.name, firstSentence(c.summary)]),
    ),
    '',
    'Options (commands that take them):',
    ...table(union((c) => c.options).map(({ item, commands }) => [optionWords(item), commands.join(', ')])),
    ...table([['--help, -h', 'every command and subcommand']]),
    '',
    'Environment:',
    ...table(union<EnvSpec>((c) => c.env).map(({ item, commands }) => [item.name, `${item.description} (${commands.join(', ')})`])),
  ].join('\n')
}

/** docs/cli.md: the top-level help, then each command's help, as generated. */
export function cliDocs(): string {
  const block = (text: string) => ['```text', text, '```'].join('\n')
  return [
    '# CLI reference',
    '',
    '<!-- Generated from cli/src/command-spec.ts by cli/test/cli-help.test.ts (UPDATE_CLI_DOCS=1 rewrites it): edit the table, not this page. -->',
    '',
    'Every command and subcommand takes `--help` or `-h` (exit 0); a bad invocation',
    'prints what is wrong, the usage line and a pointer to `--help`, and exits 2.',
    '',
    block(`$ tandem --help\n${topLevelHelp()}`),
    ...commandSpecs.flatMap((c) => ['', `## tandem ${c.name}`, '', block(`$ tandem ${c.name} --help\n${helpText(c)}`)]),
    '',
  ].join('\n')
}
