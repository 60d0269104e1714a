/** @module Defaults and option values shared by the server commands. */
import type { ParsedArgs } from './command-parser.ts'
import { readSecretFile } from './private-file.ts'

/** The one SQLite file every command uses without `--database-url`: keys made by `tandem keys` are the ones `tandem dev` reads. */
export const defaultDatabasePath = '.tandem/dev.db'
/** Where `serve`, `keys`, `schema` and `webhooks` defaulted before they agreed with `dev`. */
export const oldDefaultDatabasePath = '.tandem/tandem.db'

/**
 * The session-signing secret from `--session-secret-file` or
 * `TANDEM_SESSION_SECRET`; undefined (the server keeps one in its database)
 * when neither is given.
 */
function sessionSecret(file: string | undefined): string | undefined {
  const env = process.env['TANDEM_SESSION_SECRET']
  if (file !== undefined && env) throw new Error('Give the session secret once: --session-secret-file or TANDEM_SESSION_SECRET, not both')
  if (file !== undefined) return readSecretFile(file, 'Session secret')
  return env || undefined
}

const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined)

/** The server commands' options (parsed with their table in command-spec.ts), with environment fallbacks and defaults. */
export function serverOptions({ values }: ParsedArgs, { useEnvDatabase = true } = {}) {
  const portText = text(values['port']) ?? process.env['TANDEM_PORT'] ?? '7878'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535 (got "${portText}")`)
  return {
    schemaPath: text(values['schema']),
    port,
    host: text(values['host']) ?? '127.0.0.1',
    databaseUrl: text(values['database-url']) ?? (useEnvDatabase ? process.env['DATABASE_URL'] : undefined),
    sessionSecret: sessionSecret(text(values['session-secret-file'])),
    // Off by default in production: webhooks may not reach loopback or private networks (always on in `tandem dev`).
    allowPrivateWebhookUrls: values['allow-private-webhook-urls'] === true || process.env['TANDEM_WEBHOOKS_ALLOW_PRIVATE_URLS'] === '1',
  }
}

/** Stop the server cleanly on Ctrl-C / SIGTERM. */
export function closeOnSignals(close: () => Promise<void>): void {
  let closing = false
  const stop = () => {
    if (closing) process.exit(1)
    closing = true
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
