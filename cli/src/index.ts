/** @module The CLI's command table. */
import { devCommand } from './commands/dev.ts'
import { keysCommand } from './commands/keys.ts'
import { mcpCommand } from './commands/mcp.ts'
import { schemaCommand } from './commands/schema.ts'
import { serveCommand } from './commands/serve.ts'
import { webhooksCommand } from './commands/webhooks.ts'

export const usage = `Usage: tandem <command> [options]

Commands:
  dev                      Embedded server on .tandem/dev.db (SQLite) with a dev key
  serve                    Production server (--database-url, --port, --schema)
  schema ddl|openapi|push  Print SQL DDL (--dialect sqlite|postgres) or the OpenAPI document (--server-url); push = migrate the database
  keys create|list|revoke  Secret keys stored (hashed) in the database (--database-url)
  mcp                      The schema's models as MCP tools for agents (stdio, or --http); see \`tandem mcp --help\`
  webhooks create|list|enable|disable|roll|deliveries|delete
                           Webhook endpoints in the database (--database-url); see \`tandem webhooks help\`

Common options:
  --schema <file>          Module exporting \`schema\` (or a default export); default: the demo board schema
  --port <n>               Port (default TANDEM_PORT or 7878; 0 = any free port)
  --host <addr>            Interface to listen on (default 127.0.0.1)
  --session-secret-file <file>
                           Sign session tokens with the secret in this file (or set TANDEM_SESSION_SECRET),
                           not with the one kept in the database (dev, serve)
  --allow-private-webhook-urls
                           Let webhooks reach loopback and private addresses (serve; always on in dev;
                           or TANDEM_WEBHOOKS_ALLOW_PRIVATE_URLS=1)
`

/** Run the CLI; resolves to the exit code, or stays running for servers. */
export async function run(argv: string[]): Promise<number | void> {
  const [command, ...rest] = argv
  switch (command) {
    case 'dev':
      return devCommand(rest)
    case 'serve':
      return serveCommand(rest)
    case 'schema':
      return schemaCommand(rest)
    case 'keys':
      return keysCommand(rest)
    case 'webhooks':
      return webhooksCommand(rest)
    case 'mcp':
      return mcpCommand(rest)
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage)
      return 0
    default:
      console.error(`tandem: unknown command "${command}"\n\n${usage}`)
      return 2
  }
}
