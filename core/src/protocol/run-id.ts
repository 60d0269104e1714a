/** @module The `runId` a commit may carry: it groups one agent run's writes, so they can be listed and reverted together. */
import { z } from 'zod'

/** 1–128 characters of `A–Z a–z 0–9 _ . : -`: safe in a URL path segment, a log line and a SQL index. */
export const runIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'A runId is 1-128 characters of letters, digits, "_", ".", ":" or "-"')
export type RunId = z.infer<typeof runIdSchema>
