/** @module Every scenario, in run order. Adding one = one file + one line here. */
import type { Scenario } from '../lib/types.ts'
import { bootstrap } from './bootstrap.ts'
import { commits } from './commits.ts'
import { fanout } from './fanout.ts'
import { httpCommits } from './http-commits.ts'
import { propagation } from './propagation.ts'

export const scenarios: readonly Scenario[] = [propagation, commits, fanout, bootstrap, httpCommits]
