/** @module The picked task id and the focused row, shared state (runes in a module) that the test changes through the page's global. */
export const picked = $state({ id: 'a' })
/** The row the page announces it is editing (useIntent in Here.svelte), or null. */
export const focus = $state<{ id: string | null; viewing: string | null }>({ id: null, viewing: null })
