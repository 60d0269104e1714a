#!/usr/bin/env node
/** @module The `tandem` executable. */
import { run } from './index.ts'

run(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code
  },
  (error: unknown) => {
    console.error(`tandem: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  },
)
