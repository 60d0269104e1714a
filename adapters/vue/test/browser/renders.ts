/** @module What the test reads and drives through the page's global: render counts per task id, the picked id. */
import { ref } from 'vue'

export const renders = new Map<string, number>()
export const picked = ref('a')
