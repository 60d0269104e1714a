/** @module The `runId` a commit may carry: it groups one agent run's writes, so they can be listed and reverted together. */
import { z } from 'zod'
import { TandemValidationError } from '../errors/index.ts'

const runIdRule = 'a runId is 1-128 characters of letters, digits, "_", ".", ":" or "-"'

/** 1–128 characters of `A–Z a–z 0–9 _ . : -`: safe in a URL path segment, a log line and a SQL index. */
export const runIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, runIdRule)
export type RunId = z.infer<typeof runIdSchema>

/**
 * `value` if it is a valid runId, else `invalid_data` naming `param`. Commits carry the runId as any string
 * (up to a bound) and every door checks it here, so a bad one is refused the same way over HTTP, WebSocket
 * and in the client.
 */
export function checkRunId(value: unknown, param = 'runId'): string {
  const result = runIdSchema.safeParse(value)
  if (result.success) return result.data
  throw new TandemValidationError({ code: 'invalid_data', message: `Invalid runId ${JSON.stringify(value)}: ${runIdRule}`, param })
}
