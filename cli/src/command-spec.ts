/** @module Every command's options and environment variables: the one table parsing, `--help` and docs/cli.md read. */
import type { CommandSpec, EnvSpec, OptionSpec } from './command-parser.ts'
import { defaultDatabasePath } from './options.ts'

const opt = (name: string, value: string | null, description: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  name,
  type: value === null ? 'boolean' : 'string',
  ...(value === null ? {} : { value }),
  description,
  ...extra,
})

const schema = opt('schema', '<file>', 'Module exporting `schema` (or a default export); default: the demo board schema')
const databaseUrl = opt(
  'database-url',
  '<url>',
  `SQLite path (or sqlite:/file: URL; add ?durability=process to skip the fsync per commit), postgres://…, or an https:// Data Source; default DATABASE_URL, else ${defaultDatabasePath}`,
)
const port = opt('port', '<n>', 'Port (default TANDEM_PORT or 7878; 0 = any free port)')
const host = opt('host', '<addr>', 'Interface to listen on (default 127.0.0.1)')
const sessionSecretFile = opt(
  'session-secret-file',
  '<file>',
  'Sign session tokens with the secret in this file (or TANDEM_SESSION_SECRET), not the one kept in the database',
)

const env = {
  databaseUrl: { name: 'DATABASE_URL', description: 'The database when --database-url is not given' },
  port: { name: 'TANDEM_PORT', description: 'The port when --port is not given' },
  sessionSecret: { name: 'TANDEM_SESSION_SECRET', description: 'The session-signing secret (instead of --session-secret-file)' },
  sourceSecret: { name: 'TANDEM_SOURCE_SECRET', description: 'The whsec_… secret signing requests to an https:// Data Source' },
  secretKeys: { name: 'TANDEM_SECRET_KEYS', description: 'Comma-separated secret keys the server accepts (else it makes one and prints it once)' },
  privateWebhooks: { name: 'TANDEM_WEBHOOKS_ALLOW_PRIVATE_URLS', description: '1 = as --allow-private-webhook-urls' },
  url: { name: 'TANDEM_URL', description: 'The Tandem server URL (default http://127.0.0.1:7878)' },
  apiKey: { name: 'TANDEM_API_KEY', description: 'The key the agent uses: a secret key, or a session token to scope it to its groups' },
  mcpPort: { name: 'TANDEM_MCP_PORT', description: 'The --http port when --port is not given (default 7879)' },
} satisfies Record<string, EnvSpec>

const dbEnv = [env.databaseUrl, env.sourceSecret]

export const devSpec: CommandSpec = {
  name: 'dev',
  summary: `Embedded server on ${defaultDatabasePath} (SQLite) with a dev key and the playground. DATABASE_URL is ignored here (it is usually the app's own database).`,
  options: [schema, port, host, { ...databaseUrl, description: `Another store (same forms as for serve); default ${defaultDatabasePath}` }, sessionSecretFile],
  env: [env.port, env.sessionSecret, env.sourceSecret],
  notes: ['Webhooks may always reach loopback and private addresses in dev.'],
}

export const serveSpec: CommandSpec = {
  name: 'serve',
  summary: 'The production server.',
  options: [
    schema,
    port,
    host,
    databaseUrl,
    sessionSecretFile,
    opt('allow-private-webhook-urls', null, 'Let webhooks reach loopback and private addresses (or TANDEM_WEBHOOKS_ALLOW_PRIVATE_URLS=1)'),
  ],
  env: [env.databaseUrl, env.port, env.secretKeys, env.sessionSecret, env.privateWebhooks, env.sourceSecret],
}

export const schemaSpec: CommandSpec = {
  name: 'schema',
  summary: 'Print the SQL DDL or the OpenAPI document, or migrate the database.',
  options: [],
  env: [],
  subcommands: [
    {
      name: 'schema ddl',
      summary: 'Print the SQL DDL of the schema and of Tandem’s own tables',
      options: [schema, opt('dialect', '<sqlite|postgres>', 'SQL dialect (default sqlite)')],
      env: [],
    },
    {
      name: 'schema openapi',
      summary: 'Print the OpenAPI document the server answers on GET /v1/openapi.json',
      options: [schema, opt('server-url', '<url>', 'The server URL in the document (default TANDEM_URL or http://127.0.0.1:7878)')],
      env: [env.url],
    },
    {
      name: 'schema push',
      summary: 'Create missing tables, add new columns and indexes, and print what changed; refuses a change that could lose data',
      options: [schema, databaseUrl],
      env: dbEnv,
    },
  ],
}

const keyDb = { ...databaseUrl }
export const keysSpec: CommandSpec = {
  name: 'keys',
  summary:
    'Secret keys, stored hashed in the database. A running server picks changes up within a second; revoking a key also ends the session tokens it minted.',
  options: [],
  env: [],
  subcommands: [
    { name: 'keys create', summary: 'Make a key and print it (only now)', options: [opt('label', '<text>', 'A label to recognise it by'), keyDb], env: dbEnv },
    { name: 'keys list', summary: 'The stored keys (never the keys themselves)', options: [keyDb], env: dbEnv },
    { name: 'keys revoke', summary: 'Revoke a key', args: ['<key id>'], options: [keyDb], env: dbEnv },
  ],
}

const endpointId = ['<endpoint id>']
export const webhooksSpec: CommandSpec = {
  name: 'webhooks',
  summary: 'Webhook endpoints in the database. A running server picks changes up within a second; the signing secret is printed only by create and roll.',
  options: [],
  env: [],
  subcommands: [
    {
      name: 'webhooks create',
      summary: 'Add an endpoint',
      options: [
        opt('url', '<https url>', 'Where events are POSTed', { required: true }),
        opt('description', '<text>', 'A note for people'),
        opt('events', '<types>', 'Comma-separated event types, e.g. tasks.*,notes.created (default all)'),
        opt('schema', '<file>', 'Check the event types against this schema’s models'),
        opt('allow-private-urls', null, 'Allow a receiver on loopback or a private network'),
        databaseUrl,
      ],
      env: dbEnv,
    },
    { name: 'webhooks list', summary: 'Every endpoint, with its status and cursor', options: [databaseUrl], env: dbEnv },
    { name: 'webhooks enable', summary: 'Start delivering again', args: endpointId, options: [databaseUrl], env: dbEnv },
    { name: 'webhooks disable', summary: 'Stop delivering (events are kept)', args: endpointId, options: [databaseUrl], env: dbEnv },
    {
      name: 'webhooks roll',
      summary: 'A new signing secret; the old one keeps signing for 24 h',
      args: endpointId,
      options: [opt('expires-in', '<seconds>', 'How long the old secret keeps signing (0 = stop now)'), databaseUrl],
      env: dbEnv,
    },
    {
      name: 'webhooks deliveries',
      summary: 'The newest delivery attempts',
      args: endpointId,
      options: [opt('limit', '<n>', 'How many'), databaseUrl],
      env: dbEnv,
    },
    { name: 'webhooks delete', summary: 'Remove an endpoint', args: endpointId, options: [databaseUrl], env: dbEnv },
  ],
}

export const mcpSpec: CommandSpec = {
  name: 'mcp',
  summary:
    "The schema's models as MCP tools for an agent (stdio, or streamable HTTP with --http). The tools are list, retrieve, create, update, delete, claim, release and claim_state per model, presence_list, presence_set_intent and presence_clear_intent; the agent is a Tandem client of the server at --url. stdio is for an MCP client that starts the command itself (Claude Code, Cursor, …).",
  options: [
    schema,
    opt('url', '<url>', 'The Tandem server (default TANDEM_URL or http://127.0.0.1:7878)'),
    opt('name', '<text>', 'The participant name others see (default "mcp agent")'),
    opt('run-id', '<id>', 'Tag the agent’s writes with this run id (default a new "mcp:<uuid>" per session), so POST /v1/runs/<id>/revert takes them back'),
    opt('http', null, 'Streamable HTTP at http://<host>:<port>/mcp instead of stdio, one Tandem participant per MCP session'),
    opt('port', '<n>', 'The --http port (default TANDEM_MCP_PORT or 7879)'),
    opt('host', '<addr>', 'The --http interface (default 127.0.0.1)'),
  ],
  env: [env.url, env.apiKey, env.mcpPort],
}

/** In the order `tandem --help` lists them. */
export const commandSpecs: CommandSpec[] = [devSpec, serveSpec, schemaSpec, keysSpec, webhooksSpec, mcpSpec]
