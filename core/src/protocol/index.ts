/** @module The wire contract: frames, HTTP bodies, log entries (version 1). */
export * from './commit.ts'
export * from './frames.ts'
export * from './errors.ts'
export * from './log.ts'
export * from './cursor.ts'
export * from './claims.ts'
export * from './read-paths.ts'
