/** @module What the test reads through the page's global: updates seen per task id, and the client App made. */
import type { RegisteredClient } from '@tandem/core'

export const renders = new Map<string, number>()
export const made: { client?: RegisteredClient } = {}
export const presenceRenders = new Map<string, number>()
