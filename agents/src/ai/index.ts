/** @module `@tandem/agents/ai`: a Tandem schema's models as tools for the AI SDK (`ai` package). */
export { tandemTools, type TandemToolsOptions } from './tandem-tools.ts'
export type { ToolFailure } from '../agent-tool.ts'
