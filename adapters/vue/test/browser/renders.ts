/** @module What the test reads and drives through the page's global: render counts per task id, the picked id, the focused row. */
import { ref } from 'vue'

export const renders = new Map<string, number>()
export const picked = ref('a')
export const presenceRenders = new Map<string, number>()
/** The row this page announces it is editing (useIntent in Here.vue), or null. */
export const focused = ref<string | null>(null)
