/** @module `@tandem/core/testing`: helpers for tests of apps built on Tandem. */
export { until, untilStatus } from './until.ts'
export { startTestServer, type TestServer } from './test-server.ts'
export { spawnProcess, type ServerProcess, type SpawnOptions } from './spawn-process.ts'
export { openProtocolSocket, type ProtocolSocket, type AnyFrame } from './protocol-socket.ts'
