/** @module The CLI's command table. */
import { UsageError, usageLine } from './command-parser.ts'
import { devCommand } from './commands/dev.ts'
import { keysCommand } from './commands/keys.ts'
import { mcpCommand } from './commands/mcp.ts'
import { schemaCommand } from './commands/schema.ts'
import { serveCommand } from './commands/serve.ts'
import { webhooksCommand } from './commands/webhooks.ts'
import { topLevelHelp } from './help.ts'

/** The `tandem --help` text: every command, option and environment variable. */
export const usage = topLevelHelp()

const commands: Record<string, (argv: string[]) => Promise<number | void>> = {
  dev: devCommand,
  serve: serveCommand,
  schema: schemaCommand,
  keys: keysCommand,
  webhooks: webhooksCommand,
  mcp: mcpCommand,
}

/** Run the CLI; resolves to the exit code, or stays running for servers. Bad input prints what is wrong, the usage and the help hint: exit 2. */
export async function run(argv: string[]): Promise<number | void> {
  const [command, ...rest] = argv
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(usage)
    return 0
  }
  const handler = Object.hasOwn(commands, command) ? commands[command] : undefined
  if (!handler) {
    console.error(`tandem: unknown command "${command}"\n\n${usage}`)
    return 2
  }
  try {
    return await handler(rest)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`tandem ${error.command.name}: ${error.message}\n${usageLine(error.command)}\nRun \`tandem ${error.command.name} --help\` for every option.`)
    return 2
  }
}
