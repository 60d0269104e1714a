/**
 * @module Child process for the httpSource crash test: a Tandem server on
 * `httpSource` (env SOURCE_URL, SOURCE_SECRET, LOG_PATH, SECRET_KEY). With
 * HANG_LOG_COMMIT=1 every log commit that appends an entry hangs forever:
 * the endpoint has applied the commit, the log has not, and the test
 * SIGKILLs the process in exactly that window.
 */
import { createServer, sqliteStore, type Store } from '@tandem/core/server'
import { httpSource } from '@tandem/sources'
import { schema } from '../fixtures/tasks-schema.ts'

const env = (name: string) => {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is required`)
  return v
}

const sqlite = sqliteStore({ path: env('LOG_PATH') })
const log: Store =
  process.env['HANG_LOG_COMMIT'] === '1'
    ? {
        ...sqlite,
        transaction: (fn) =>
          sqlite.transaction(async (tx) => {
            let appended = false
            const result = await fn({ ...tx, appendLog: async (entry) => ((appended = true), tx.appendLog(entry)) })
            if (appended) await new Promise(() => {})
            return result
          }),
      }
    : sqlite

const server = await createServer({
  schema,
  store: httpSource({ url: env('SOURCE_URL'), secret: env('SOURCE_SECRET'), log, retries: 0 }),
  port: 0,
  secretKeys: [env('SECRET_KEY')],
})
console.log(`listening on ${server.url}`)
