/** @module Render counts per task id, read by the test through the page's global. */
export const renders = new Map<string, number>()
