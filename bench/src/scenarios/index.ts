/** @module Every scenario, in run order. Adding one = one file + one line here. */
import type { Scenario } from '../lib/types.ts'
import { bootstrap } from './bootstrap.ts'
import { claims } from './claims.ts'
import { clientPath } from './client-path.ts'
import { clusterCommits } from './cluster-commits.ts'
import { commits } from './commits.ts'
import { fanout } from './fanout.ts'
import { fanout1k } from './fanout-1k.ts'
import { httpCommits } from './http-commits.ts'
import { idleMemory } from './idle-memory.ts'
import { longpoll } from './longpoll.ts'
import { longpollClient } from './longpoll-client.ts'
import { postgresCommits } from './postgres.ts'
import { propagation } from './propagation.ts'
import { reconnect } from './reconnect.ts'
import { soak } from './soak.ts'
import { storeBootstrap } from './store-bootstrap.ts'
import { webhooksScenario } from './webhooks.ts'

export const scenarios: readonly Scenario[] = [
  propagation,
  longpoll,
  longpollClient,
  clientPath,
  commits,
  postgresCommits,
  clusterCommits,
  fanout,
  fanout1k,
  bootstrap,
  storeBootstrap,
  reconnect,
  httpCommits,
  claims,
  webhooksScenario,
  idleMemory,
  soak,
]
