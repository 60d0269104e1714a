/** @module Small SQL text helpers for the Postgres store. */

/** Quote an identifier: `"name"`, with embedded quotes doubled. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

/** The channel every node LISTENs on; the payload is the new head syncId. */
export const logChannel = 'tandem_log'

/**
 * The advisory lock every commit transaction takes first: it orders writers
 * across every server node on the database, so `MAX(syncId) + 1` is gapless.
 * (A fixed 64-bit key: "tandem" in ASCII.)
 */
export const commitLockKey = '127961812723053'
